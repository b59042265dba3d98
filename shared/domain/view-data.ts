/**
 * Text the guide puts in front of a view must never be read as a reference to flow data: in a
 * ShowView block, a value that starts with `$.` is a dynamic reference ("Keys and values may be set
 * statically or dynamically", Connect ShowView action reference), so a customer name or template
 * text beginning with "$." would break the view. Such text gets a full-width dollar sign instead.
 */
export function escapeViewText(text: string): string {
  return text.startsWith('$.') ? `＄${text.slice(1)}` : text;
}

/** Every value of a guide answer made safe to show in a view. */
export function escapeViewData(data: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, escapeViewText(value)]));
}

/** Any JSON value, as a Lambda answering with ResponseType JSON may return it to a flow. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/**
 * Text the guide puts in front of a view must never be read as a reference to flow data: in a
 * ShowView block, a value that starts with `$.` is a dynamic reference ("Keys and values may be set
 * statically or dynamically", Connect ShowView action reference), so a customer name or template
 * text beginning with "$." would break the view. Such text gets a full-width dollar sign instead.
 */
export function escapeViewText(text: string): string {
  return text.startsWith('$.') ? `＄${text.slice(1)}` : text;
}

/**
 * Every string in a guide answer made safe to show in a view, however deep it sits (cards,
 * sections, attribute bars): the one place the guide's Lambdas pass their view data through.
 * Keys are the guide's own names and are left alone.
 */
export function escapeViewData<T extends JsonValue>(data: T): T {
  return escapeValue(data) as T;
}

function escapeValue(value: JsonValue): JsonValue {
  if (typeof value === 'string') return escapeViewText(value);
  if (Array.isArray(value)) return value.map(escapeValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, JsonValue>).map(([key, item]) => [key, escapeValue(item)]),
    );
  }
  return value;
}

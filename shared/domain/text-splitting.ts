/**
 * Splits text into ordered parts of at most `maxLength` characters, preferring to break at
 * whitespace so that words stay whole. Connect accepts 1,024 characters per message while
 * WhatsApp allows 4,096, so long customer texts must arrive as several messages.
 *
 * Length is counted in UTF-16 code units (what Connect and WhatsApp count); a surrogate pair is
 * never cut in half.
 */
export function splitText(text: string, maxLength: number): string[] {
  if (maxLength < 2) throw new RangeError('maxLength must be at least 2');
  if (text.length <= maxLength) return [text];

  const parts: string[] = [];
  let rest = text;
  while (rest.length > maxLength) {
    let cut = lastWhitespaceBefore(rest, maxLength);
    // No whitespace in the window (a URL, say): cut hard, but not inside a surrogate pair.
    if (cut <= 0) cut = isLowSurrogate(rest.charCodeAt(maxLength)) ? maxLength - 1 : maxLength;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts.filter((part) => part.length > 0);
}

function lastWhitespaceBefore(text: string, limit: number): number {
  // Look at the character right after the window too: a break exactly at the limit is ideal.
  for (let i = limit; i > limit / 2; i--) {
    if (/\s/.test(text.charAt(i))) return i;
  }
  return -1;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

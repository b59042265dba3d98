/**
 * Masking for logs: phone numbers and message bodies are personal data and must never
 * reach CloudWatch in clear.
 */

/** `+447700900123` → `+44*******23`: enough to tell numbers apart while on call, not enough to dial. */
export function maskPhoneNumber(value: string | undefined): string {
  if (!value) return '';
  const digits = value.replace(/[^0-9A-Za-z.]/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  const prefix = value.startsWith('+') ? '+' : '';
  return `${prefix}${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}

/** A body is replaced by its length so that logs still show size problems. */
export function maskBody(value: string | undefined): string {
  if (value === undefined) return '';
  return `[${value.length} chars]`;
}

const SENSITIVE_KEYS = new Set([
  'body',
  'text',
  'content',
  'caption',
  'message',
  'initialmessage',
  'phone',
  'phonenumber',
  'customerphone',
  'from',
  'to',
  'wa_id',
  'waid',
  'recipient_id',
  'participanttoken',
  'connectiontoken',
]);

// Seven or more digits in a row, optionally after '+': how phone numbers and wa_ids look. A run
// that is part of a longer token (letters, digits, dots, dashes, underscores: wamids, UUIDs,
// `phone-number-id-…`, `US.1349…`) is an id, not a phone number, and stays readable; so does a
// whole ARN, whose account id sits between colons. A trailing full stop still ends a sentence.
const PHONE_LIKE = /arn:[^\s"',]+|(?<![\w.+-])\+?\d{7,}(?![\w-]|\.\w)/g;

/** Masks the free-standing phone-like runs of `value`; ARNs and ids pass unchanged. */
function maskPhoneLike(value: string): string {
  return value.replace(PHONE_LIKE, (match) => (match.startsWith('arn:') ? match : maskPhoneNumber(match)));
}

/**
 * A JSON replacer for the logger: masks values under sensitive keys and any phone-like run of
 * digits anywhere else. It is a safety net; code should still log masked values on purpose.
 */
export function maskSensitiveJson(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const normalisedKey = key.toLowerCase();
  if (normalisedKey.endsWith('token')) return '[redacted]';
  if (SENSITIVE_KEYS.has(normalisedKey)) {
    return normalisedKey.includes('phone') ||
      ['from', 'to', 'wa_id', 'waid', 'recipient_id'].includes(normalisedKey)
      ? maskPhoneNumber(value)
      : maskBody(value);
  }
  return maskPhoneLike(value);
}

/**
 * The logger's replacer: `maskSensitiveJson` everywhere, except that the log record's own
 * `message` (the event's description, such as "Message relayed to Connect") stays readable;
 * it still has phone-like digits masked. JSON.stringify hands the record itself over first,
 * under the key "", which is how its `message` is told apart from a nested one.
 */
export function createLogReplacer(): (key: string, value: unknown) => unknown {
  let record: unknown;
  return (key, value) => {
    if (key === '') {
      record = value;
      return value;
    }
    if (
      key === 'message' &&
      typeof value === 'string' &&
      typeof record === 'object' &&
      record !== null &&
      (record as { message?: unknown }).message === value
    ) {
      return maskPhoneLike(value);
    }
    return maskSensitiveJson(key, value);
  };
}

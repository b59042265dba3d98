/**
 * WhatsApp numbers typed by an agent. E.164 is `+`, a country code that does not start with 0,
 * and at most 15 digits in all. The shortest real numbers (some small countries) have 7 digits
 * after a 1–3 digit country code, so fewer than 8 digits in all cannot be a number.
 */

const E164 = /^\+[1-9]\d{7,14}$/;

export type PhoneNumberCheck =
  | { readonly ok: true; readonly e164: string }
  | { readonly ok: false; readonly reason: 'Missing' | 'NotE164' | 'Implausible'; readonly message: string };

/**
 * Normalises what an agent typed (spaces, dashes, brackets, a `00` prefix, a `(0)` trunk prefix) and checks it is a
 * plausible E.164 number, so a typo is caught on the form instead of by Meta minutes later.
 */
export function checkWhatsAppNumber(input: string | undefined): PhoneNumberCheck {
  const raw = (input ?? '').trim();
  if (raw === '') {
    return {
      ok: false,
      reason: 'Missing',
      message: 'Enter the customer’s WhatsApp number, e.g. +447700900123.',
    };
  }
  // "+44 (0) 7700 900123": the (0) is the national trunk prefix, dialled only inside the country,
  // so it is dropped before the brackets are; E.164 never has it.
  const compact = raw
    .replace(/\(\s*0\s*\)/g, '')
    .replace(/[\s\-().]/g, '')
    .replace(/^00/, '+');
  if (!E164.test(compact)) {
    return {
      ok: false,
      reason: 'NotE164',
      message:
        'The WhatsApp number must be in international format: + then country code and number, 8 to 15 digits (e.g. +447700900123).',
    };
  }
  const digits = compact.slice(1);
  // A run of one repeated digit, or a straight 0123456789 sequence, is a placeholder, not a customer.
  if (/^(\d)\1+$/.test(digits) || '12345678901234567890'.includes(digits)) {
    return {
      ok: false,
      reason: 'Implausible',
      message: 'The WhatsApp number looks like a placeholder. Check it with the customer’s record.',
    };
  }
  return { ok: true, e164: compact };
}

/** The WhatsApp id (`wa_id`) of an E.164 number: the digits without '+', as Meta keys customers. */
export function waIdOf(e164: string): string {
  return e164.replace(/^\+/, '');
}

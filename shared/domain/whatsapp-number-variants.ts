/**
 * The other `wa_id`s Meta may use for the same WhatsApp number. The agent types a number; Meta
 * answers a reply with the number it has for the account, which is not always the same digits.
 *
 * Brazil is the widely reported case: mobile numbers gained a ninth digit (a leading 9 after the
 * two-digit area code, ANATEL's national numbering plan), and accounts registered before that keep
 * an eight-digit `wa_id`, so "+55 11 98765-4321" may reply as `551187654321`. Brazilian landlines
 * (eight digits starting 2–5) never had a ninth digit and have no variant.
 *
 * Meta's send response does say which `wa_id` it resolved (`contacts[].wa_id`), but AWS End User
 * Messaging Social's SendWhatsAppMessage returns only `messageId` (botocore socialmessaging
 * 2024-01-01, SendWhatsAppMessageOutput), so the guide cannot read it and matches both forms.
 */

const BRAZIL_NINE_DIGIT_MOBILE = /^55([1-9]{2})9([6-9]\d{7})$/;
const BRAZIL_EIGHT_DIGIT_MOBILE = /^55([1-9]{2})([6-9]\d{7})$/;

/** The other forms of `waId` (digits only, no '+') a reply from the same customer may carry. */
export function equivalentWhatsAppIds(waId: string): string[] {
  const nine = BRAZIL_NINE_DIGIT_MOBILE.exec(waId);
  if (nine) return [`55${nine[1]}${nine[2]}`];
  const eight = BRAZIL_EIGHT_DIGIT_MOBILE.exec(waId);
  if (eight) return [`55${eight[1]}9${eight[2]}`];
  return [];
}

/** Whether two `wa_id`s (or E.164 numbers) name the same WhatsApp number. */
export function sameWhatsAppNumber(a: string, b: string): boolean {
  const left = a.replace(/^\+/, '');
  const right = b.replace(/^\+/, '');
  return left !== '' && (left === right || equivalentWhatsAppIds(left).includes(right));
}

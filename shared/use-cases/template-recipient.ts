import type { ConversationKey } from '../domain/conversation.js';
import type { CustomerOnContact } from '../domain/guide-context.js';
import { isMarketingCategory, marketingRefusal } from '../domain/marketing-consent.js';
import { waIdOf } from '../domain/phone-number.js';
import { equivalentWhatsAppIds, sameWhatsAppNumber } from '../domain/whatsapp-number-variants.js';
import type { CustomerKeys } from '../ports/customer-keys.js';
import type { MarketingPreferences } from '../ports/marketing-preferences.js';

/**
 * Every conversation a template to `to` belongs to: the one for the number as typed (with the
 * customer's BSUID when the guide was opened on that customer's chat, so a customer who changed
 * number is still found), and the one for each other `wa_id` Meta may use for the same number
 * (Brazil's ninth digit).
 */
export async function recipientConversations(
  keys: CustomerKeys,
  businessPhoneNumberId: string,
  to: string,
  onContact: CustomerOnContact | undefined,
): Promise<ConversationKey[]> {
  const waId = waIdOf(to);
  const userId =
    onContact?.whatsAppUserId && sameWhatsAppNumber(onContact.phoneNumber, waId)
      ? onContact.whatsAppUserId
      : undefined;
  const found = [
    await keys.keyFor(businessPhoneNumberId, { waId, ...(userId ? { userId } : {}) }),
    ...(await Promise.all(
      equivalentWhatsAppIds(waId).map((other) => keys.keyFor(businessPhoneNumberId, { waId: other })),
    )),
  ];
  return [...new Map(found.map((key) => [key.customerId, key])).values()];
}

/**
 * Why a template of this category must not go to these conversations' customer (they opted out of
 * marketing messages), or undefined. Utility and authentication templates are never looked up.
 */
export async function marketingRefusalFor(
  preferences: Pick<MarketingPreferences, 'marketingPreferenceOf'>,
  category: string | undefined,
  conversations: () => Promise<readonly ConversationKey[]>,
): Promise<string | undefined> {
  if (category !== undefined && !isMarketingCategory(category)) return undefined;
  const keys = await conversations();
  const choices = await Promise.all(keys.map((key) => preferences.marketingPreferenceOf(key)));
  for (const choice of choices) {
    const refusal = marketingRefusal(category, choice);
    if (refusal) return refusal;
  }
  return undefined;
}

import type { ConversationKey } from '../domain/conversation.js';
import type { MarketingPreference } from '../domain/customer-choices.js';
import type { MarketingChoice, ReplaceRule } from '../domain/marketing-consent.js';

/**
 * The customer's marketing choice, kept on their conversation (business number + BSUID-first
 * customer id), so it follows them through a number change. Writes never touch the chat or its
 * version.
 */
export interface MarketingPreferences {
  /**
   * Stores the choice if `rule` lets it replace the stored one; creates the conversation if the
   * customer never wrote. False when the stored choice stays.
   */
  recordMarketingChoice(key: ConversationKey, choice: MarketingChoice, rule: ReplaceRule): Promise<boolean>;
  /** The stored choice; `unknown` when none was ever recorded. Strongly consistent. */
  marketingPreferenceOf(key: ConversationKey): Promise<MarketingPreference>;
}

import { type ConversationKey, conversationKeyString } from '../../../shared/domain/conversation.js';
import { type MarketingPreference, UNKNOWN_MARKETING } from '../../../shared/domain/customer-choices.js';
import type { MarketingChoice, ReplaceRule } from '../../../shared/domain/marketing-consent.js';
import type { MarketingPreferences } from '../../../shared/ports/marketing-preferences.js';

/** Marketing choices in memory, replaced under the same rule as the DynamoDB condition. */
export class InMemoryMarketingPreferences implements MarketingPreferences {
  readonly choices = new Map<string, MarketingChoice>();
  /** Set to make every read fail, as an unreachable table would. */
  failReadsWith: Error | undefined;

  async recordMarketingChoice(key: ConversationKey, choice: MarketingChoice, rule: ReplaceRule) {
    const stored = this.choices.get(conversationKeyString(key));
    const newer = !stored || stored.at < rule.at || (rule.winsTies && stored.at === rule.at);
    const keeps = rule.keepsWhatsAppOptOut && stored?.state === 'opted-out' && stored.source === 'meta';
    if (!newer || keeps) return false;
    this.choices.set(conversationKeyString(key), choice);
    return true;
  }

  async marketingPreferenceOf(key: ConversationKey): Promise<MarketingPreference> {
    if (this.failReadsWith) throw this.failReadsWith;
    return this.choices.get(conversationKeyString(key)) ?? UNKNOWN_MARKETING;
  }
}

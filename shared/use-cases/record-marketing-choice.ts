import { marketingKeywordNotice } from '../domain/agent-notices.js';
import { type ConversationKey, conversationKeyString } from '../domain/conversation.js';
import type { InboundMessage } from '../domain/inbound-message.js';
import {
  keywordChoice,
  type MarketingChoice,
  type MarketingKeywords,
  replaceRuleFor,
  webhookChoice,
} from '../domain/marketing-consent.js';
import { hashForLogs, idempotencyToken } from '../domain/tokens.js';
import type { UserPreference } from '../domain/webhook-notifications.js';
import type { CustomerKeys } from '../ports/customer-keys.js';
import type { MarketingPreferences } from '../ports/marketing-preferences.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { CustomerChat } from './attach-customer-media.js';

export interface RecordMarketingChoiceDependencies {
  readonly keys: CustomerKeys;
  readonly preferences: MarketingPreferences;
  readonly telemetry: Telemetry;
  /** A business number's keyword lists; undefined when the number has none. */
  readonly keywordsFor: (businessPhoneNumberId: string) => MarketingKeywords | undefined;
}

/** What became of a choice: stored, older than the stored one, kept from WhatsApp, or not a marketing choice. */
export type MarketingChoiceOutcome = 'recorded' | 'superseded' | 'kept-whatsapp-opt-out' | 'not-marketing';

const REASONS: Record<Exclude<MarketingChoiceOutcome, 'recorded'>, string> = {
  superseded: 'Superseded',
  'kept-whatsapp-opt-out': 'KeepsWhatsAppOptOut',
  'not-marketing': 'NotMarketing',
};

/**
 * Records a customer's marketing choice on their conversation, so the template guide can respect it.
 *
 * Primary course (Meta's `user_preferences` webhook): read the stop or resume, find the
 * conversation key (BSUID first, the number as an alias), and store the choice if it is newer
 * than the stored one. A customer who never wrote gets a conversation with no chat, holding only
 * the choice: the guide reads it before their first template.
 *
 * Primary course (a keyword): after a customer's text is relayed, a whole message that is an
 * opt-out or opt-in keyword of that business number is stored the same way (source `keyword`),
 * and the agent reads a relay notice in the chat.
 *
 * Alternate courses: an older choice processed late is counted (`Superseded`) and dropped; a
 * keyword never replaces an opt-out made in WhatsApp itself (`KeepsWhatsAppOptOut`); another
 * preference category is counted (`NotMarketing`) and acknowledged.
 */
export class RecordMarketingChoice {
  constructor(private readonly deps: RecordMarketingChoiceDependencies) {}

  /** One `user_preferences` element. */
  async fromWebhook(preference: UserPreference): Promise<MarketingChoiceOutcome> {
    const choice = webhookChoice(preference);
    if (!choice) {
      this.deps.telemetry.count('MarketingChoices', { Reason: REASONS['not-marketing'], Source: 'meta' });
      this.deps.telemetry.info('Customer preference that is not a marketing stop or resume; acknowledged', {
        category: preference.category,
        value: preference.value,
      });
      return 'not-marketing';
    }
    const key = await this.deps.keys.keyFor(preference.business.phoneNumberId, preference.customer);
    return this.record(key, choice);
  }

  /** After a customer's text is in the chat: a keyword records their choice and tells the agent. */
  async afterRelay(
    key: ConversationKey,
    message: InboundMessage,
    chat: Pick<CustomerChat, 'contactId' | 'sendNote'>,
  ): Promise<void> {
    if (message.content.kind !== 'text') return;
    const keywords = this.deps.keywordsFor(key.businessPhoneNumberId);
    const choice = keywords && keywordChoice(message.content.body, keywords, message.timestamp * 1000);
    if (!choice) return;
    const outcome = await this.record(key, choice);
    // A keyword older than the stored choice changes nothing the agent needs to hear about.
    if (outcome !== 'recorded' && outcome !== 'kept-whatsapp-opt-out') return;
    await chat.sendNote(
      marketingKeywordNotice(choice.state, outcome),
      idempotencyToken('marketing-keyword-notice', message.id, chat.contactId),
    );
  }

  private async record(key: ConversationKey, choice: MarketingChoice): Promise<MarketingChoiceOutcome> {
    const { preferences, telemetry } = this.deps;
    let outcome: MarketingChoiceOutcome = 'recorded';
    if (!(await preferences.recordMarketingChoice(key, choice, replaceRuleFor(choice)))) {
      const stored = await preferences.marketingPreferenceOf(key);
      outcome =
        stored.state === choice.state && stored.at === choice.at && stored.source === choice.source
          ? 'recorded' // this very choice, stored by an earlier delivery
          : choice.source === 'keyword' && stored.state === 'opted-out' && stored.source === 'meta'
            ? 'kept-whatsapp-opt-out'
            : 'superseded';
    }
    const reason =
      outcome === 'recorded' ? (choice.state === 'opted-out' ? 'OptedOut' : 'OptedIn') : REASONS[outcome];
    telemetry.count('MarketingChoices', { Reason: reason, Source: choice.source });
    telemetry.info('Customer marketing choice', {
      conversation: hashForLogs(conversationKeyString(key)),
      businessPhoneNumberId: key.businessPhoneNumberId,
      choice: choice.state,
      source: choice.source,
      at: new Date(choice.at).toISOString(),
      outcome,
    });
    return outcome;
  }
}

import type { ConversationKey } from '../../domain/conversation.js';
import { type MarketingPreference, UNKNOWN_MARKETING } from '../../domain/customer-choices.js';
import type { MarketingChoice, ReplaceRule } from '../../domain/marketing-consent.js';
import type { MarketingPreferences } from '../../ports/marketing-preferences.js';
import { n, s } from '../dynamodb-attributes.js';
import { marketingFromItem } from './conversation-item.js';
import { type ConversationTable, keys } from './conversation-table.js';

/**
 * The marketing choice on the conversation item (`marketingState`, `marketingAt`,
 * `marketingSource`). One UpdateItem, NOT conditional on the chat version (the chat may change at
 * the same moment), but conditional on the stored choice being older (shared/domain/marketing-consent.ts,
 * replaceRuleFor), so an event processed late never overwrites a newer choice.
 */
export class DynamoDbMarketingPreferences implements MarketingPreferences {
  constructor(private readonly table: ConversationTable) {}

  recordMarketingChoice(key: ConversationKey, choice: MarketingChoice, rule: ReplaceRule): Promise<boolean> {
    const newer = rule.winsTies ? 'marketingAt <= :at' : 'marketingAt < :at';
    const conditions = [`(attribute_not_exists(marketingAt) OR ${newer})`];
    if (rule.keepsWhatsAppOptOut) {
      conditions.push('NOT (marketingState = :optedOut AND marketingSource = :meta)');
    }
    return this.table.update(keys.conversation(key), {
      update: [
        'SET businessPhoneNumberId = if_not_exists(businessPhoneNumberId, :business)',
        'customerId = if_not_exists(customerId, :customer)',
        'marketingState = :state',
        'marketingAt = :at',
        'marketingSource = :source',
        // A choice is activity: the conversation (and the choice with it) lives its TTL from now.
        'expiresAt = :expiresAt',
      ].join(', '),
      condition: conditions.join(' AND '),
      values: {
        ':business': s(key.businessPhoneNumberId),
        ':customer': s(key.customerId),
        ':state': s(choice.state),
        ':at': n(rule.at),
        ':source': s(choice.source),
        ':expiresAt': n(this.table.conversationExpiry()),
        ...(rule.keepsWhatsAppOptOut ? { ':optedOut': s('opted-out'), ':meta': s('meta') } : {}),
      },
    });
  }

  async marketingPreferenceOf(key: ConversationKey): Promise<MarketingPreference> {
    const item = await this.table.get(keys.conversation(key));
    return (item && marketingFromItem(item)) ?? UNKNOWN_MARKETING;
  }
}

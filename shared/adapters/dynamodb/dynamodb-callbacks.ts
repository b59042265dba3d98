import type { ConversationKey } from '../../domain/conversation.js';
import type {
  CallbackClaim,
  CallbackClaimRequest,
  CallbackLog,
  CallbackResult,
} from '../../ports/callback-log.js';
import { n, num, s, str } from '../dynamodb-attributes.js';
import { type ConversationTable, keys } from './conversation-table.js';

/**
 * The states of `callbackState`: claimed, then dialling (the call is being requested), then
 * placed, not placed, or unconfirmed (Connect did not answer whether it placed the call).
 */
const REQUESTED = 'requested';
const DIALLING = 'dialling';
const NOT_PLACED = 'not-placed';

/**
 * The conversation item's last callback: `callbackMessageId`, `callbackAt` (epoch ms),
 * `callbackState`, and `callbackContactId` or `callbackReason`. Flat attributes beside the chat,
 * written only here, so the chat's versioned writes and these never overwrite each other.
 */
export class DynamoDbCallbacks implements CallbackLog {
  constructor(private readonly table: ConversationTable) {}

  async claim(key: ConversationKey, request: CallbackClaimRequest): Promise<CallbackClaim> {
    const pk = keys.conversation(key);
    const claimed = await this.table.update(pk, {
      update:
        'SET callbackMessageId = :id, callbackAt = :now, callbackState = :requested REMOVE callbackContactId, callbackReason',
      condition: [
        'attribute_not_exists(callbackMessageId)',
        '(callbackMessageId = :id AND callbackState = :requested)',
        '(callbackMessageId <> :id AND (callbackState = :notPlaced OR callbackAt <= :threshold))',
      ].join(' OR '),
      values: {
        ':id': s(request.whatsAppMessageId),
        ':now': n(request.now),
        ':requested': s(REQUESTED),
        ':notPlaced': s(NOT_PLACED),
        ':threshold': n(request.now - request.cooldownMs),
      },
    });
    if (claimed) return { kind: 'claimed' };
    // The condition failed: read what stands in the way (rare, so not worth ReturnValuesOnConditionCheckFailure plumbing).
    const item = await this.table.get(pk);
    const since = (item ? num(item, 'callbackAt') : undefined) ?? request.now;
    if (item && str(item, 'callbackMessageId') === request.whatsAppMessageId)
      return str(item, 'callbackState') === DIALLING
        ? { kind: 'interrupted', since }
        : { kind: 'already-handled' };
    const contactId = item ? str(item, 'callbackContactId') : undefined;
    return { kind: 'cooling-down', since, ...(contactId ? { contactId } : {}) };
  }

  async markDialling(key: ConversationKey, whatsAppMessageId: string): Promise<void> {
    await this.setState(key, whatsAppMessageId, REQUESTED, DIALLING);
  }

  async releaseDialling(key: ConversationKey, whatsAppMessageId: string): Promise<void> {
    await this.setState(key, whatsAppMessageId, DIALLING, REQUESTED);
  }

  private async setState(key: ConversationKey, whatsAppMessageId: string, from: string, to: string) {
    await this.table.update(keys.conversation(key), {
      update: 'SET callbackState = :to',
      condition: 'callbackMessageId = :id AND callbackState = :from',
      values: { ':id': s(whatsAppMessageId), ':from': s(from), ':to': s(to) },
    });
  }

  async finish(key: ConversationKey, whatsAppMessageId: string, result: CallbackResult): Promise<void> {
    const placed = result.state === 'placed';
    // Only this message's record: if a later request has taken over, its record stands.
    await this.table.update(keys.conversation(key), {
      update: placed
        ? 'SET callbackState = :state, callbackContactId = :detail'
        : 'SET callbackState = :state, callbackReason = :detail',
      condition: 'callbackMessageId = :id',
      values: {
        ':id': s(whatsAppMessageId),
        ':state': s(result.state),
        ':detail': s(placed ? result.contactId : result.reason),
      },
    });
  }
}

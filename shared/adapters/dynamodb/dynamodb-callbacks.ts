import type { ConversationKey } from '../../domain/conversation.js';
import type {
  CallbackClaim,
  CallbackClaimRequest,
  CallbackLog,
  CallbackResult,
} from '../../ports/callback-log.js';
import { n, num, s, str } from '../dynamodb-attributes.js';
import { type ConversationTable, keys } from './conversation-table.js';

/** The states of `callbackState`: claimed and unfinished, then placed or not. */
const REQUESTED = 'requested';
const PLACED = 'placed';
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
    if (item && str(item, 'callbackMessageId') === request.whatsAppMessageId)
      return { kind: 'already-handled' };
    const contactId = item ? str(item, 'callbackContactId') : undefined;
    return {
      kind: 'cooling-down',
      since: (item ? num(item, 'callbackAt') : undefined) ?? request.now,
      ...(contactId ? { contactId } : {}),
    };
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
        ':state': s(placed ? PLACED : NOT_PLACED),
        ':detail': s(placed ? result.contactId : result.reason),
      },
    });
  }
}

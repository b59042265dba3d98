import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AgentInitiation } from '../../domain/agent-initiation.js';
import type { Chat, Conversation, EndedChat, PendingChatStart } from '../../domain/conversation.js';
import type { AgentAssignment, MarketingPreference } from '../../domain/customer-choices.js';
import { type Item, n, num, s, str } from '../dynamodb-attributes.js';

/**
 * The conversation item's layout. Chat attributes are written whole by each transition; the
 * customer's attributes (activity, profile, read marks, initiation) are written field by field by
 * their own adapters and never touch `chatVersion`.
 */
const CHAT_FIELDS = [
  'leaseOwner',
  'leaseUntil',
  'pendingStart',
  'contactId',
  'participantToken',
  'connectionToken',
  'connectionExpiresAt',
  'initialMessageId',
  'historyNotAttached',
  'endedAt',
] as const;

type ChatField = (typeof CHAT_FIELDS)[number];

/** The attributes a chat state is stored as; every other chat attribute is removed. */
export function chatAttributes(chat: Chat): {
  set: Partial<Record<ChatField, AttributeValue>>;
  remove: ChatField[];
} {
  const set: Partial<Record<ChatField, AttributeValue>> = {};
  switch (chat.state) {
    case 'none':
      break;
    case 'starting':
    case 'created':
      set.leaseOwner = s(chat.lease.owner);
      set.leaseUntil = n(chat.lease.until);
      set.pendingStart = s(JSON.stringify(chat.start));
      if (chat.state === 'created') {
        set.contactId = s(chat.contactId);
        set.participantToken = s(chat.participantToken);
      }
      break;
    case 'active':
      set.contactId = s(chat.contactId);
      set.participantToken = s(chat.participantToken);
      set.connectionToken = s(chat.connection.connectionToken);
      set.connectionExpiresAt = n(chat.connection.expiresAt);
      set.initialMessageId = s(chat.initialMessageId);
      if (chat.historyNotAttached) set.historyNotAttached = { BOOL: true };
      break;
    case 'ended':
      set.contactId = s(chat.contactId);
      set.endedAt = n(chat.endedAt);
      break;
  }
  return { set, remove: CHAT_FIELDS.filter((field) => set[field] === undefined) };
}

/** Reads a conversation item, including items written before chat versions existed. */
export function conversationFromItem(item: Item): Conversation {
  const profileName = str(item, 'profileName');
  const phoneNumber = str(item, 'customerPhoneNumber');
  const userId = str(item, 'customerUserId');
  const lastAt = num(item, 'lastCustomerMessageAt');
  const lastId = str(item, 'lastCustomerMessageId');
  const lastReadMarkedId = str(item, 'lastReadMarkedId');
  const initiatedBy = initiationFromItem(item);
  const lastAgent = lastAgentFromItem(item);
  const marketing = marketingFromItem(item);
  return {
    key: {
      businessPhoneNumberId: str(item, 'businessPhoneNumberId') ?? '',
      customerId: str(item, 'customerId') ?? '',
    },
    version: num(item, 'chatVersion') ?? 0,
    chat: chatFromItem(item),
    customer: {
      ...(profileName ? { profileName } : {}),
      ...(phoneNumber ? { phoneNumber } : {}),
      ...(userId ? { userId } : {}),
    },
    ...(lastAt !== undefined && lastId ? { lastCustomerMessage: { at: lastAt, messageId: lastId } } : {}),
    ...(lastReadMarkedId ? { lastReadMarkedId } : {}),
    ...(initiatedBy ? { initiatedBy } : {}),
    ...(lastAgent ? { lastAgent } : {}),
    ...(marketing ? { marketing } : {}),
  };
}

function chatFromItem(item: Item): Chat {
  const state = str(item, 'state');
  const contactId = str(item, 'contactId');
  const participantToken = str(item, 'participantToken');
  const leaseOwner = str(item, 'leaseOwner');
  const leaseUntil = num(item, 'leaseUntil');
  const start = pendingStartFromItem(item);
  if ((state === 'starting' || state === 'created') && leaseOwner && leaseUntil !== undefined && start) {
    const lease = { owner: leaseOwner, until: leaseUntil };
    // Before chat versions, a created contact was a 'starting' item with a contact id.
    return contactId && participantToken
      ? { state: 'created', lease, start, contactId, participantToken }
      : { state: 'starting', lease, start };
  }
  const connectionToken = str(item, 'connectionToken');
  const expiresAt = num(item, 'connectionExpiresAt');
  if (state === 'active' && contactId && participantToken && connectionToken && expiresAt !== undefined) {
    return {
      state: 'active',
      contactId,
      participantToken,
      connection: { connectionToken, expiresAt },
      initialMessageId: str(item, 'initialMessageId') ?? '',
      ...(item.historyNotAttached?.BOOL ? { historyNotAttached: true } : {}),
    };
  }
  // Anything else that names a contact is treated as ended: the next message starts a chat.
  if (contactId)
    return { state: 'ended', contactId, endedAt: num(item, 'endedAt') ?? num(item, 'updatedAt') ?? 0 };
  return { state: 'none' };
}

function pendingStartFromItem(item: Item): PendingChatStart | undefined {
  const json = str(item, 'pendingStart');
  if (!json) return undefined;
  const stored = JSON.parse(json) as Partial<PendingChatStart> & { persistentSourceContactId?: string };
  if (!stored.clientToken || !stored.starterMessageId || !stored.contactFlowId) return undefined;
  // Written before starts were bounded: it counts as exhausted, so its next takeover re-derives it.
  const legacySource: EndedChat | undefined = stored.persistentSourceContactId
    ? { state: 'ended', contactId: stored.persistentSourceContactId, endedAt: 0 }
    : undefined;
  const { persistentSourceContactId: _legacy, ...rest } = stored;
  return {
    ...(rest as PendingChatStart),
    initialMessage: stored.initialMessage ?? '',
    displayName: stored.displayName ?? 'WhatsApp customer',
    attributes: stored.attributes ?? {},
    claimedAt: stored.claimedAt ?? 0,
    attempts: stored.attempts ?? Number.MAX_SAFE_INTEGER,
    ...(stored.persistentSource ? {} : legacySource ? { persistentSource: legacySource } : {}),
  };
}

function initiationFromItem(item: Item): AgentInitiation | undefined {
  const templateName = str(item, 'initiatedTemplate');
  const at = num(item, 'initiatedAt');
  if (!templateName || at === undefined) return undefined;
  const agentId = str(item, 'initiatedByAgentId');
  return { templateName, at, ...(agentId ? { agentId } : {}) };
}

/** Written by DynamoDbAgentAssignments. */
function lastAgentFromItem(item: Item): AgentAssignment | undefined {
  const agentId = str(item, 'lastAgentId');
  const contactId = str(item, 'lastAgentContactId');
  const at = num(item, 'lastAgentAt');
  return agentId && contactId && at !== undefined ? { agentId, contactId, at } : undefined;
}

/** The customer's marketing choice (dynamodb-marketing-preferences.ts), when one was recorded. */
export function marketingFromItem(item: Item): MarketingPreference | undefined {
  const state = str(item, 'marketingState');
  const at = num(item, 'marketingAt');
  const source = str(item, 'marketingSource');
  if (at === undefined) return undefined;
  if (state === 'opted-out' && (source === 'meta' || source === 'keyword')) return { state, at, source };
  if (state === 'opted-in' && (source === 'meta' || source === 'keyword')) return { state, at, source };
  return undefined;
}

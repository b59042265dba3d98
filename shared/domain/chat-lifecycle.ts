import type {
  ActiveChat,
  ConnectionCredentials,
  Conversation,
  ConversationIn,
  EndedChat,
  PendingChatStart,
  StartLease,
} from './conversation.js';

/**
 * The chat's life as pure transitions: claim a start, take over a stalled one, record the contact,
 * activate, end, give up. Each returns the next conversation (version bumped) or refuses an
 * invalid move by returning undefined. Callers persist the result with a write that is
 * conditional on the version they read, so two invocations can never both make the same move.
 *
 *   none ──claim──▶ starting ──contact──▶ created ──activate──▶ active ──end──▶ ended
 *     ▲                │  ▲                  │                                   │
 *     └──abandon (4xx)─┘  └─────takeover─────┘          ended ──claim (rehydrate)─┘
 */

/** How a start is bounded, so one that cannot succeed is never replayed for ever. */
export interface StartLimits {
  readonly leaseMs: number;
  /** Claims of the same pending start before it is re-derived from the current message. */
  readonly maxAttempts: number;
  /** Age after which a pending start is re-derived from the current message. */
  readonly maxAgeMs: number;
}

/** The parts of a start that come from the message that opens the chat, and from config. */
export type StartDraft = Omit<PendingChatStart, 'claimedAt' | 'attempts'>;

export interface StartRequest {
  /** The WhatsApp message whose invocation asks. */
  readonly owner: string;
  readonly now: number;
  readonly limits: StartLimits;
  /** A new start opened by the current message (rehydrating `source` when there is one). */
  readonly draft: (source: EndedChat | undefined) => StartDraft;
  /** Today's config for an existing start: the flow and attributes are never replayed stale. */
  readonly config: () => Pick<PendingChatStart, 'contactFlowId' | 'attributes'>;
}

export type StartDecision =
  /** The chat runs already: send into it. */
  | { readonly kind: 'running'; readonly conversation: ConversationIn<'active'> }
  /** Another invocation holds the start; look again after a short wait. */
  | { readonly kind: 'wait'; readonly leaseUntil: number }
  /** Write `next` (conditional on the version read) and then complete the start. */
  | {
      readonly kind: 'claim';
      readonly next: ConversationIn<'starting' | 'created'>;
      /** True when this claim continues someone else's start (or an earlier attempt of ours). */
      readonly takeover: boolean;
    };

/** Decides what an invocation that needs the chat may do with the conversation as it read it. */
export function decideChatStart(conversation: Conversation, request: StartRequest): StartDecision {
  const { chat } = conversation;
  const lease: StartLease = { owner: request.owner, until: request.now + request.limits.leaseMs };
  const bump = { ...conversation, version: conversation.version + 1 };
  switch (chat.state) {
    case 'active':
      return { kind: 'running', conversation: { ...conversation, chat } };
    case 'none':
    case 'ended': {
      const source = chat.state === 'ended' ? chat : undefined;
      const start = { ...request.draft(source), claimedAt: request.now, attempts: 1 };
      return { kind: 'claim', takeover: false, next: { ...bump, chat: { state: 'starting', lease, start } } };
    }
    case 'starting':
    case 'created': {
      const heldByOther = chat.lease.owner !== request.owner && chat.lease.until > request.now;
      if (heldByOther) return { kind: 'wait', leaseUntil: chat.lease.until };
      if (chat.state === 'created') {
        // The contact exists; what is left (streaming, connecting) repeats safely as it is.
        const start = { ...chat.start, attempts: chat.start.attempts + 1 };
        return { kind: 'claim', takeover: true, next: { ...bump, chat: { ...chat, lease, start } } };
      }
      const exhausted =
        chat.start.attempts >= request.limits.maxAttempts ||
        request.now - chat.start.claimedAt > request.limits.maxAgeMs;
      const start = exhausted
        ? { ...request.draft(chat.start.persistentSource), claimedAt: request.now, attempts: 1 }
        : { ...chat.start, ...request.config(), attempts: chat.start.attempts + 1 };
      return {
        kind: 'claim',
        takeover: !exhausted,
        next: { ...bump, chat: { state: 'starting', lease, start } },
      };
    }
  }
}

/** StartChatContact returned the contact: record it before anything else can need it. */
export function contactCreated(
  conversation: ConversationIn<'starting'>,
  contact: { contactId: string; participantToken: string },
): ConversationIn<'created'> {
  const { lease, start } = conversation.chat;
  return {
    ...conversation,
    version: conversation.version + 1,
    chat: { state: 'created', lease, start, ...contact },
  };
}

/** The customer participant is connected: the chat is live and its lease is released. */
export function activated(
  conversation: ConversationIn<'created'>,
  connection: ConnectionCredentials,
): ConversationIn<'active'> {
  const { contactId, participantToken, start } = conversation.chat;
  const chat: ActiveChat = {
    state: 'active',
    contactId,
    participantToken,
    connection,
    initialMessageId: start.starterMessageId,
    ...(start.historyNotAttached ? { historyNotAttached: true } : {}),
  };
  return { ...conversation, version: conversation.version + 1, chat };
}

/** Revises the pending start in place (rehydration refused, history given up); the lease stays. */
export function startRevised(
  conversation: ConversationIn<'starting'>,
  start: PendingChatStart,
): ConversationIn<'starting'> {
  return { ...conversation, version: conversation.version + 1, chat: { ...conversation.chat, start } };
}

/**
 * Connect refused the start outright (a 4xx: nothing took effect). The pending start is dropped,
 * so the next message, or a redrive, derives a new one from the configuration of that day.
 */
export function startAbandoned(conversation: ConversationIn<'starting'>): Conversation {
  const source = conversation.chat.start.persistentSource;
  return { ...conversation, version: conversation.version + 1, chat: source ?? { state: 'none' } };
}

/**
 * The chat with `contactId` is over. Refused (undefined) when the conversation has moved on to
 * another contact, so a late event from an older chat never ends the current one.
 */
export function chatEnded(
  conversation: Conversation,
  contactId: string,
  now: number,
): ConversationIn<'ended'> | undefined {
  const { chat } = conversation;
  if ((chat.state !== 'active' && chat.state !== 'created') || chat.contactId !== contactId) return undefined;
  return {
    ...conversation,
    version: conversation.version + 1,
    chat: { state: 'ended', contactId, endedAt: now },
  };
}

/**
 * A chat item that Amazon Connect chat streaming published: a message, an event or an attachment
 * from an agent, a flow, a bot, or the customer (our own relayed messages echo back as CUSTOMER).
 */
export interface StreamingItem {
  /** Connect's item id; the idempotency key for everything sent because of this item. */
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly content?: string;
  readonly participantRole?: string;
  readonly participantId?: string;
  readonly displayName?: string;
  /** The chat's first contact: stays the same across transfers, so it keys the conversation. */
  readonly initialContactId: string;
  readonly contactId: string;
  /** Epoch ms. */
  readonly absoluteTime: number;
  readonly visibility?: string;
  readonly attachments: readonly StreamingAttachment[];
}

export interface StreamingAttachment {
  readonly attachmentId: string;
  readonly attachmentName: string;
  readonly contentType: string;
  readonly status?: string;
}

export const CONTENT_TYPES = {
  plainText: 'text/plain',
  markdown: 'text/markdown',
  interactive: 'application/vnd.amazonaws.connect.message.interactive',
  typing: 'application/vnd.amazonaws.connect.event.typing',
  participantJoined: 'application/vnd.amazonaws.connect.event.participant.joined',
  participantLeft: 'application/vnd.amazonaws.connect.event.participant.left',
  chatEnded: 'application/vnd.amazonaws.connect.event.chat.ended',
  messageDelivered: 'application/vnd.amazonaws.connect.event.message.delivered',
  messageRead: 'application/vnd.amazonaws.connect.event.message.read',
  transferSucceeded: 'application/vnd.amazonaws.connect.event.transfer.succeeded',
  transferFailed: 'application/vnd.amazonaws.connect.event.transfer.failed',
} as const;

/**
 * The events the outbound relay acts on. They pass whatever MessageVisibility says (chat.ended
 * may come without it); the streaming subscription filter lists the same content types
 * (infra/constructs/streaming-filter.ts, kept equal by a test).
 */
export const RELAY_HANDLED_EVENTS: readonly string[] = [
  CONTENT_TYPES.typing,
  CONTENT_TYPES.messageRead,
  CONTENT_TYPES.chatEnded,
  CONTENT_TYPES.participantJoined,
];

/**
 * The forwarding rule: only what the customer may see (visibility CUSTOMER or ALL, or none), or
 * an event the relay handles; and never the customer's own items echoed back. Items without a
 * role (chat.ended can come without one) pass.
 */
export function isForCustomer(
  item: Pick<StreamingItem, 'visibility' | 'participantRole' | 'contentType'>,
): boolean {
  const visible =
    item.visibility === undefined ||
    item.visibility === 'CUSTOMER' ||
    item.visibility === 'ALL' ||
    RELAY_HANDLED_EVENTS.includes(item.contentType);
  return visible && item.participantRole !== 'CUSTOMER';
}

/**
 * The Connect streaming events the outbound relay acts on, by their SNS `ContentType` attribute
 * (awsdocs/amazon-connect-admin-guide: doc_source/sns-payload.md). The same list is
 * `RELAY_HANDLED_EVENTS` in shared/domain/streaming-item.ts; a test keeps the two equal.
 */
export const RELAY_HANDLED_EVENT_CONTENT_TYPES = [
  'application/vnd.amazonaws.connect.event.typing',
  'application/vnd.amazonaws.connect.event.message.read',
  'application/vnd.amazonaws.connect.event.chat.ended',
  'application/vnd.amazonaws.connect.event.participant.joined',
] as const;

const NOT_SAID_BY_THE_CUSTOMER = [
  { ParticipantRole: [{ 'anything-but': ['CUSTOMER'] }] },
  { ParticipantRole: [{ exists: false }] },
] as const;

/**
 * Which streamed items reach the outbound queue. SNS drops a message when the policy names an
 * attribute the message lacks ("Amazon SNS subscription filter policies"), so each branch names
 * only attributes its items carry:
 * - what the customer may see (MessageVisibility CUSTOMER or ALL), or
 * - an event the relay handles (by ContentType), whatever MessageVisibility says or whether it is
 *   there at all: `chat.ended` may come without it;
 * and in both, never the customer's own items (ParticipantRole CUSTOMER: our relayed messages
 * echo back), while items without a role pass. `$or` needs at least two objects ("AND/OR logic").
 * The same rule runs in code (`isForCustomer`); the filter only saves invocations.
 */
export const STREAMING_FILTER_POLICY = {
  $or: [
    ...NOT_SAID_BY_THE_CUSTOMER.map((role) => ({ MessageVisibility: ['CUSTOMER', 'ALL'], ...role })),
    ...NOT_SAID_BY_THE_CUSTOMER.map((role) => ({
      ContentType: [...RELAY_HANDLED_EVENT_CONTENT_TYPES],
      ...role,
    })),
  ],
};

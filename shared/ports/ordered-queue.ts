/**
 * One item on its way to the relay through an SQS FIFO queue: `groupId` is what it must wait for
 * (its conversation), `deduplicationId` is its own identity, so a repeat within SQS's
 * deduplication interval is accepted and dropped.
 */
export interface OrderedMessage {
  readonly groupId: string;
  readonly deduplicationId: string;
  readonly body: string;
}

/** The FIFO queue in front of a relay function. */
export interface OrderedQueue {
  /**
   * Sends each message (at most one per group per call, so their order cannot be mixed up inside
   * the call). Returns the messages that could not be sent; the caller holds their groups back.
   */
  send(messages: readonly OrderedMessage[]): Promise<readonly OrderedMessage[]>;
}

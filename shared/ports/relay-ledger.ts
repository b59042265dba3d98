/**
 * What has already been relayed, keyed by WhatsApp message id, so that a redelivered webhook is
 * relayed once. It also maps each WhatsApp message to the Connect message ids it became, which
 * receipts (read/delivered) need later.
 */
export interface RelayLedger {
  findInbound(whatsAppMessageId: string): Promise<InboundRelayRecord | undefined>;
  recordInbound(record: InboundRelayRecord): Promise<void>;
  /** The WhatsApp message a Connect message id came from, for the customer's blue ticks. */
  findInboundByConnectMessageId(connectMessageId: string): Promise<{ whatsAppMessageId: string } | undefined>;
}

export interface InboundRelayRecord {
  readonly whatsAppMessageId: string;
  readonly contactId: string;
  /** Empty when the text went in as StartChatContact's InitialMessage, which returns no id. */
  readonly connectMessageIds: readonly string[];
  readonly conversationKey: string;
  /** Epoch ms. */
  readonly relayedAt: number;
  /** The Connect attachment the customer's file became, for media messages that were attached. */
  readonly attachmentId?: string;
  /** The message's first few words, so a later reply or reaction can quote it to the agent. */
  readonly preview?: string;
  /**
   * False when only part of the message is known to be in Connect (another invocation finished
   * its chat start, which carried just its first text part): a redelivery then resumes it
   * instead of skipping it. Absent means complete.
   */
  readonly complete?: boolean;
}

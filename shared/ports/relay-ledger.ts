/**
 * What has already been relayed, keyed by WhatsApp message id, so that a redelivered webhook is
 * relayed once. It also maps each WhatsApp message to the Connect message ids it became, which
 * receipts (read/delivered) need later.
 */
export interface RelayLedger {
  findInbound(whatsAppMessageId: string): Promise<InboundRelayRecord | undefined>;
  recordInbound(record: InboundRelayRecord): Promise<void>;
}

export interface InboundRelayRecord {
  readonly whatsAppMessageId: string;
  readonly contactId: string;
  /** Empty when the text went in as StartChatContact's InitialMessage, which returns no id. */
  readonly connectMessageIds: readonly string[];
  readonly conversationKey: string;
  /** Epoch ms. */
  readonly relayedAt: number;
}

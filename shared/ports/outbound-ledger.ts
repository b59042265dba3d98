/**
 * Send-once records for messages relayed to WhatsApp, and the id maps receipts need.
 * A claim is written before each send: if the process dies after WhatsApp accepted the message
 * but before the claim was marked sent, the retry can tell (a stale claim) and count it as a
 * possible duplicate instead of silently sending twice.
 */
export interface OutboundLedger {
  claimSend(sendId: string, options: { now: number; leaseMs: number }): Promise<SendClaim>;
  markSent(sendId: string, record: OutboundSendRecord): Promise<void>;
  /** Drops a claim whose send certainly did not happen (the call was refused), so a retry is clean. */
  releaseClaim(sendId: string): Promise<void>;
  /** Finds what a WhatsApp (EUM) message id was sent for, to route its status back to the chat. */
  findSent(whatsAppMessageId: string): Promise<OutboundSendRecord | undefined>;
}

/**
 * `claimed`: go ahead and send. `retakenStale`: go ahead, but an earlier attempt may have sent it.
 * `sent`: already done. `in-progress`: another invocation is sending it right now.
 */
export type SendClaim = 'claimed' | 'retakenStale' | 'sent' | 'in-progress';

export interface OutboundSendRecord {
  readonly connectItemId: string;
  readonly initialContactId: string;
  readonly whatsAppMessageId: string;
  /** Epoch ms. */
  readonly sentAt: number;
  /**
   * The message's first words (≤ 40 characters), so a later failure notice can name it.
   * Customer-facing text: never logged.
   */
  readonly preview?: string;
}

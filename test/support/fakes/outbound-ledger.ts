import type { OutboundLedger, OutboundSendRecord, SendClaim } from '../../../shared/ports/outbound-ledger.js';

/** Send-once claims and sent records in memory, keyed by send id and by WhatsApp message id. */
export class InMemoryOutboundLedger implements OutboundLedger {
  readonly claims = new Map<string, { until: number; sent: boolean }>();
  readonly sent = new Map<string, OutboundSendRecord>();
  async claimSend(sendId: string, options: { now: number; leaseMs: number }): Promise<SendClaim> {
    const claim = this.claims.get(sendId);
    if (claim?.sent) return 'sent';
    if (claim && claim.until > options.now) return 'in-progress';
    this.claims.set(sendId, { until: options.now + options.leaseMs, sent: false });
    return claim ? 'retakenStale' : 'claimed';
  }
  async markSent(sendId: string, record: OutboundSendRecord) {
    this.claims.set(sendId, { until: Number.POSITIVE_INFINITY, sent: true });
    this.sent.set(record.whatsAppMessageId, record);
  }
  async releaseClaim(sendId: string) {
    this.claims.delete(sendId);
  }
  async findSent(whatsAppMessageId: string) {
    return this.sent.get(whatsAppMessageId);
  }
}

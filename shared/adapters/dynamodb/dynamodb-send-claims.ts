import type { OutboundLedger, OutboundSendRecord, SendClaim } from '../../ports/outbound-ledger.js';
import { n, num, s, str, ttlSeconds } from '../dynamodb-attributes.js';
import { type ConversationTable, keys } from './conversation-table.js';

/** Send-once claims for messages relayed to WhatsApp, and the sent-message map statuses need. */
export class DynamoDbSendClaims implements OutboundLedger {
  constructor(private readonly table: ConversationTable) {}

  async claimSend(sendId: string, options: { now: number; leaseMs: number }): Promise<SendClaim> {
    const pk = keys.sendClaim(sendId);
    const leaseUntil = n(options.now + options.leaseMs);
    const expiresAt = n(ttlSeconds(options.now, this.table.options.ledgerTtlDays));
    const claimed = await this.table.put(
      { pk: s(pk), sendStatus: s('sending'), leaseUntil, expiresAt },
      {
        expression: 'attribute_not_exists(pk) OR sendStatus = :released',
        values: { ':released': s('released') },
      },
    );
    if (claimed) return 'claimed';
    const existing = await this.table.get(pk);
    if (!existing) return 'in-progress';
    if (str(existing, 'sendStatus') === 'sent') return 'sent';
    const previousLease = num(existing, 'leaseUntil') ?? 0;
    if (previousLease > options.now) return 'in-progress';
    // The earlier attempt's lease ran out: it died, perhaps after WhatsApp accepted the message.
    const retaken = await this.table.update(pk, {
      update: 'SET leaseUntil = :lease',
      condition: 'sendStatus = :sending AND leaseUntil = :previous',
      values: { ':lease': leaseUntil, ':sending': s('sending'), ':previous': n(previousLease) },
    });
    return retaken ? 'retakenStale' : 'in-progress';
  }

  async markSent(sendId: string, record: OutboundSendRecord): Promise<void> {
    const fields = {
      connectItemId: s(record.connectItemId),
      initialContactId: s(record.initialContactId),
      whatsAppMessageId: s(record.whatsAppMessageId),
      sentAt: n(record.sentAt),
      expiresAt: n(this.table.ledgerExpiry()),
      // The message's first words, for notices and for quoting it when the customer replies.
      ...(record.preview ? { preview: s(record.preview) } : {}),
    };
    await this.table.batchPut([
      { pk: s(keys.sendClaim(sendId)), sendStatus: s('sent'), ...fields },
      { pk: s(keys.whatsAppSent(record.whatsAppMessageId)), ...fields },
    ]);
  }

  async releaseClaim(sendId: string): Promise<void> {
    await this.table.update(keys.sendClaim(sendId), {
      update: 'SET sendStatus = :released',
      condition: 'sendStatus = :sending',
      values: { ':released': s('released'), ':sending': s('sending') },
    });
  }

  async findSent(whatsAppMessageId: string): Promise<OutboundSendRecord | undefined> {
    const item = await this.table.get(keys.whatsAppSent(whatsAppMessageId));
    if (!item) return undefined;
    return {
      connectItemId: str(item, 'connectItemId') ?? '',
      initialContactId: str(item, 'initialContactId') ?? '',
      whatsAppMessageId,
      sentAt: num(item, 'sentAt') ?? 0,
      ...(str(item, 'preview') ? { preview: str(item, 'preview') } : {}),
    };
  }
}

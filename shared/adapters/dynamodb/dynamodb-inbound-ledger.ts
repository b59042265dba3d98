import type { InboundRelayRecord, RelayLedger } from '../../ports/relay-ledger.js';
import { n, num, s, ss, str, strList } from '../dynamodb-attributes.js';
import { type ConversationTable, keys } from './conversation-table.js';

/** What was relayed into Connect, by WhatsApp id, and the reverse map receipts need. */
export class DynamoDbInboundLedger implements RelayLedger {
  constructor(private readonly table: ConversationTable) {}

  async findInbound(whatsAppMessageId: string): Promise<InboundRelayRecord | undefined> {
    const item = await this.table.get(keys.inbound(whatsAppMessageId));
    if (!item) return undefined;
    const attachmentId = str(item, 'attachmentId');
    const preview = str(item, 'preview');
    return {
      whatsAppMessageId,
      contactId: str(item, 'contactId') ?? '',
      connectMessageIds: strList(item, 'connectMessageIds'),
      conversationKey: str(item, 'conversationKey') ?? '',
      relayedAt: num(item, 'relayedAt') ?? 0,
      ...(attachmentId ? { attachmentId } : {}),
      ...(preview ? { preview } : {}),
      ...(item.complete?.BOOL === false ? { complete: false } : {}),
    };
  }

  async recordInbound(record: InboundRelayRecord): Promise<void> {
    const expiresAt = n(this.table.ledgerExpiry());
    await this.table.batchPut([
      {
        pk: s(keys.inbound(record.whatsAppMessageId)),
        contactId: s(record.contactId),
        connectMessageIds: ss(record.connectMessageIds),
        conversationKey: s(record.conversationKey),
        relayedAt: n(record.relayedAt),
        expiresAt,
        ...(record.attachmentId ? { attachmentId: s(record.attachmentId) } : {}),
        ...(record.preview ? { preview: s(record.preview) } : {}),
        ...(record.complete === false ? { complete: { BOOL: false } } : {}),
      },
      // The reverse map lets a Connect read receipt find the WhatsApp message to mark read.
      ...record.connectMessageIds.map((connectMessageId) => ({
        pk: s(keys.connectMessage(connectMessageId)),
        whatsAppMessageId: s(record.whatsAppMessageId),
        contactId: s(record.contactId),
        conversationKey: s(record.conversationKey),
        expiresAt,
      })),
    ]);
  }

  async findInboundByConnectMessageId(
    connectMessageId: string,
  ): Promise<{ whatsAppMessageId: string } | undefined> {
    const item = await this.table.get(keys.connectMessage(connectMessageId));
    const whatsAppMessageId = item ? str(item, 'whatsAppMessageId') : undefined;
    return whatsAppMessageId ? { whatsAppMessageId } : undefined;
  }
}

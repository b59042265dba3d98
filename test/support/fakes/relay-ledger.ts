import type { InboundRelayRecord, RelayLedger } from '../../../shared/ports/relay-ledger.js';

/** The inbound relay ledger in memory; `recorded` keeps every write in order. */
export class InMemoryRelayLedger implements RelayLedger {
  readonly records = new Map<string, InboundRelayRecord>();
  readonly recorded: InboundRelayRecord[] = [];
  async findInbound(whatsAppMessageId: string) {
    return this.records.get(whatsAppMessageId);
  }
  async recordInbound(record: InboundRelayRecord) {
    this.recorded.push(record);
    this.records.set(record.whatsAppMessageId, record);
  }
  async findInboundByConnectMessageId(connectMessageId: string) {
    const found = [...this.records.values()].find((r) => r.connectMessageIds.includes(connectMessageId));
    return found ? { whatsAppMessageId: found.whatsAppMessageId } : undefined;
  }
}

import type { RejectedRecordSink } from '../../../shared/ports/rejected-record-sink.js';

type Rejected = Parameters<RejectedRecordSink['reject']>[0];

/** The dead-letter queue in memory; `failWith` plays an unreachable queue. */
export class InMemoryRejectedRecordSink implements RejectedRecordSink {
  readonly rejected: Rejected[] = [];
  failWith: Error | undefined;
  async reject(record: Rejected) {
    if (this.failWith) throw this.failWith;
    this.rejected.push(record);
  }
}

/** Where records that can never be processed go, with the reason, so nothing is silently lost. */
export interface RejectedRecordSink {
  reject(record: {
    body: string;
    reason: string;
    detail: string;
    sourceMessageId: string;
    /** The record's FIFO message group, so a redrive puts it back in its conversation. */
    groupId?: string;
  }): Promise<void>;
}

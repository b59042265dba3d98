import { MalformedEventError } from '../domain/errors.js';

/** The parts of an SQS record the processor needs (a subset of aws-lambda's SQSRecord). */
export interface QueueRecord {
  readonly messageId: string;
  readonly body: string;
  readonly attributes?: {
    readonly ApproximateReceiveCount?: string;
    /** Set on records from a FIFO queue: the record's message group. */
    readonly MessageGroupId?: string;
  };
}

export interface BatchFailure {
  readonly itemIdentifier: string;
}

export interface OrderedBatchHooks<Item> {
  /** Turns one record into work items; throws MalformedEventError when it never can. */
  decode(record: QueueRecord): readonly Item[];
  /** Items with the same key are processed one after another, in order. */
  orderKey(item: Item): string;
  /**
   * Sort key within an order key; ties keep arrival order. Left out behind a FIFO queue, whose
   * order is the conversation's order (the ordering stage already sorted by timestamp).
   */
  sortKey?(item: Item): number;
  process(item: Item): Promise<void>;
  /** A record that can never be processed: dead-letter it. If this throws, the record is retried. */
  reject(record: QueueRecord, failure: RejectedFailure): Promise<void>;
  /** Failures that retrying cannot fix (the item already told whoever needed telling): reject, don't retry. */
  isPermanent?(error: unknown): RejectedFailure | undefined;
  /** Called for each item that failed and will be retried. */
  onItemFailure(item: Item, error: unknown): void;
  /** Called for each item skipped because an earlier item of its key failed. */
  onItemSkipped?(item: Item): void;
  /** How many order keys run at once. */
  concurrency: number;
}

export interface RejectedFailure {
  readonly reason: string;
  readonly message: string;
}

interface WorkItem<Item> {
  readonly item: Item;
  readonly record: QueueRecord;
  readonly sequence: number;
}

/**
 * Partial batch processing that keeps per-conversation order: records are decoded, their items
 * grouped by conversation, groups run concurrently, and items of one group run in order. When an
 * item fails, every later item of the same group is held back too (its record is reported failed
 * and retried), so a conversation never overtakes itself.
 */
export async function processOrderedBatch<Item>(
  records: readonly QueueRecord[],
  hooks: OrderedBatchHooks<Item>,
): Promise<{ batchItemFailures: BatchFailure[] }> {
  const failed = new Set<string>();
  const groups = new Map<string, WorkItem<Item>[]>();
  let sequence = 0;

  for (const record of records) {
    let items: readonly Item[];
    try {
      items = hooks.decode(record);
    } catch (error) {
      const malformed =
        error instanceof MalformedEventError ? error : new MalformedEventError(String(error), 'DecoderError');
      if (!(await rejectQuietly(hooks, record, malformed))) failed.add(record.messageId);
      continue;
    }
    for (const item of items) {
      const key = hooks.orderKey(item);
      const group = groups.get(key) ?? [];
      group.push({ item, record, sequence: sequence++ });
      groups.set(key, group);
    }
  }

  const queue = [...groups.values()].map((group) =>
    group.sort(
      (a, b) =>
        (hooks.sortKey ? hooks.sortKey(a.item) - hooks.sortKey(b.item) : 0) || a.sequence - b.sequence,
    ),
  );
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      let blocked = false;
      for (const work of group) {
        if (blocked || failed.has(work.record.messageId)) {
          // The record will be retried whole; later items of this conversation must wait for it.
          blocked = true;
          failed.add(work.record.messageId);
          hooks.onItemSkipped?.(work.item);
          continue;
        }
        try {
          await hooks.process(work.item);
        } catch (error) {
          const permanent = hooks.isPermanent?.(error);
          if (permanent && (await rejectQuietly(hooks, work.record, permanent))) continue;
          blocked = true;
          failed.add(work.record.messageId);
          hooks.onItemFailure(work.item, error);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(hooks.concurrency, queue.length)) }, worker));

  return {
    batchItemFailures: records
      .filter((record) => failed.has(record.messageId))
      .map((record) => ({ itemIdentifier: record.messageId })),
  };
}

/** Dead-letters a record; false when that failed, so the caller retries the record instead. */
async function rejectQuietly<Item>(
  hooks: OrderedBatchHooks<Item>,
  record: QueueRecord,
  failure: RejectedFailure,
): Promise<boolean> {
  try {
    await hooks.reject(record, failure);
    return true;
  } catch {
    return false;
  }
}

import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * SQS semantics for a Lambda event source, in memory: at-least-once delivery,
 * a visibility timeout after each receive, ApproximateReceiveCount, partial batch responses,
 * and a redrive policy that moves a message to the dead-letter queue after `maxReceiveCount`.
 * A handler that throws (a crash) makes its whole batch visible again after the timeout.
 *
 * With `fifo`, it is a FIFO queue: every message has a group and a deduplication id; a message
 * whose deduplication id was accepted in the last 5 minutes is accepted and dropped; and a group's
 * messages are received in order, never while an earlier one of the group is in flight or waiting
 * for its retry ("Inflight messages block delivery of available messages within the same message
 * group", AWS knowledge center, sqs-fifo-messages-not-returned).
 */
export interface SimulatedQueueOptions {
  readonly visibilityTimeoutMs: number;
  readonly maxReceiveCount: number;
  readonly batchSize: number;
  /** Concurrent pollers (Lambda concurrency). */
  readonly concurrency: number;
  readonly now?: () => number;
  /**
   * Called when a poller finds nothing visible, instead of pausing 5 ms. A virtual clock uses it to
   * jump to the next visibility deadline when nothing is running, so long timeouts cost no time.
   */
  readonly idle?: () => Promise<void>;
  /** A FIFO queue (see above). */
  readonly fifo?: boolean;
}

/** SQS FIFO's deduplication interval (botocore sqs SendMessageRequest.MessageDeduplicationId). */
const DEDUPLICATION_INTERVAL_MS = 5 * 60_000;

/** A FIFO message's group and deduplication id. */
export interface FifoIds {
  readonly groupId: string;
  readonly deduplicationId: string;
}

interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly fifo?: FifoIds;
  receiveCount: number;
  visibleAt: number;
  receiptHandle?: string;
}

export interface DrainResult {
  readonly invocations: number;
  readonly crashes: number;
  readonly deadLettered: readonly QueuedMessage[];
  readonly elapsedMs: number;
}

export class SimulatedQueue {
  private readonly messages: QueuedMessage[] = [];
  readonly deadLetters: QueuedMessage[] = [];
  /** Invocations running right now. */
  inFlight = 0;
  /** The most receives any message needed before its handler succeeded. */
  maxReceivesToSucceed = 0;
  /** FIFO: every message accepted (not dropped as a duplicate), in the order it was accepted. */
  readonly accepted: { readonly body: string; readonly groupId: string }[] = [];
  /** FIFO: messages accepted and dropped because their deduplication id was seen within 5 minutes. */
  duplicatesDropped = 0;
  private sequence = 0;
  private readonly deduplication = new Map<string, number>();

  constructor(private readonly options: SimulatedQueueOptions) {}

  /** Enqueues a message; false when a FIFO queue dropped it as a duplicate. */
  send(body: string, fifo?: FifoIds): boolean {
    if (this.options.fifo) {
      if (!fifo) throw new Error('A FIFO queue needs a MessageGroupId and a MessageDeduplicationId');
      const now = (this.options.now ?? Date.now)();
      const seen = this.deduplication.get(fifo.deduplicationId);
      if (seen !== undefined && now - seen < DEDUPLICATION_INTERVAL_MS) {
        this.duplicatesDropped += 1;
        return false;
      }
      this.deduplication.set(fifo.deduplicationId, now);
      this.accepted.push({ body, groupId: fifo.groupId });
    }
    this.sequence += 1;
    this.messages.push({
      messageId: `sim-${this.sequence}`,
      body,
      receiveCount: 0,
      visibleAt: 0,
      ...(fifo ? { fifo } : {}),
    });
    return true;
  }

  /**
   * An operator's DLQ redrive (start-message-move-task): every dead letter goes back into this
   * queue as a new message, received from count 1 again. Returns how many moved.
   */
  redrive(): number {
    const moved = this.deadLetters.splice(0);
    // A FIFO redrive keeps each message's group (and SQS treats it as a new send).
    for (const message of moved) this.requeue(message.body, message.fifo);
    return moved.length;
  }

  /** Puts a message back as a new one, past the deduplication check (a redrive is not a repeat send). */
  requeue(body: string, fifo?: FifoIds): void {
    if (fifo) this.accepted.push({ body, groupId: fifo.groupId });
    this.sequence += 1;
    this.messages.push({
      messageId: `sim-${this.sequence}`,
      body,
      receiveCount: 0,
      visibleAt: 0,
      ...(fifo ? { fifo } : {}),
    });
  }

  get depth(): number {
    return this.messages.length;
  }

  /** True when some message could be received at `now` (FIFO: in a group not held back). */
  hasVisible(now: number): boolean {
    const blocked = this.blockedGroups(now);
    return this.messages.some(
      (message) => message.visibleAt <= now && !(message.fifo && blocked.has(message.fifo.groupId)),
    );
  }

  /** FIFO: groups with a message in flight or waiting for its retry deliver nothing more. */
  private blockedGroups(now: number): Set<string> {
    const blocked = new Set<string>();
    for (const message of this.messages) {
      if (message.fifo && message.visibleAt > now) blocked.add(message.fifo.groupId);
    }
    return blocked;
  }

  /**
   * When the next invisible message reappears; undefined when none is invisible. (A FIFO message
   * that is visible but held back by its group can only move once that group's message reappears.)
   */
  nextVisibleAt(now: number): number | undefined {
    const invisible = this.messages.filter((message) => message.visibleAt > now);
    return invisible.length === 0 ? undefined : Math.min(...invisible.map((message) => message.visibleAt));
  }

  /** Runs pollers until the queue is empty (or `timeoutMs` passes), like Lambda's event source mapping. */
  async drain(
    handler: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>,
    timeoutMs = 60_000,
  ): Promise<DrainResult> {
    const now = this.options.now ?? Date.now;
    const started = now();
    let invocations = 0;
    let crashes = 0;
    const poller = async () => {
      while (this.messages.length > 0 && now() - started < timeoutMs) {
        const batch = this.receive(now());
        if (batch.length === 0) {
          await (this.options.idle?.() ?? new Promise((resolve) => setTimeout(resolve, 5)));
          continue;
        }
        invocations += 1;
        this.inFlight += 1;
        let response: SQSBatchResponse | undefined;
        try {
          response = await handler({ Records: batch.map(toRecord) });
        } catch {
          // The invocation died: nothing is deleted; everything reappears after the timeout.
          crashes += 1;
          continue;
        } finally {
          this.inFlight -= 1;
        }
        const failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
        for (const message of batch) {
          if (failed.has(message.messageId)) continue;
          this.delete(message);
          this.maxReceivesToSucceed = Math.max(this.maxReceivesToSucceed, message.receiveCount);
        }
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency }, poller));
    return { invocations, crashes, deadLettered: [...this.deadLetters], elapsedMs: now() - started };
  }

  private receive(now: number): QueuedMessage[] {
    const batch: QueuedMessage[] = [];
    const blocked = this.blockedGroups(now);
    for (const message of [...this.messages]) {
      if (batch.length >= this.options.batchSize) break;
      if (message.visibleAt > now) continue;
      if (message.fifo && blocked.has(message.fifo.groupId)) continue;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        // Redrive policy: moved to the DLQ when received once more than allowed.
        this.delete(message);
        this.deadLetters.push(message);
        continue;
      }
      message.receiveCount += 1;
      message.visibleAt = now + this.options.visibilityTimeoutMs;
      batch.push(message);
    }
    return batch;
  }

  private delete(message: QueuedMessage): void {
    const index = this.messages.indexOf(message);
    if (index >= 0) this.messages.splice(index, 1);
  }
}

function toRecord(message: QueuedMessage): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: `${message.messageId}-${message.receiveCount}`,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: '0',
      SenderId: 'simulator',
      ApproximateFirstReceiveTimestamp: '0',
      ...(message.fifo
        ? { MessageGroupId: message.fifo.groupId, MessageDeduplicationId: message.fifo.deduplicationId }
        : {}),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:simulated',
    awsRegion: 'us-east-1',
  };
}

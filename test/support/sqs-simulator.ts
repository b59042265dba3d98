import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * Standard SQS semantics for a Lambda event source, in memory: at-least-once delivery,
 * a visibility timeout after each receive, ApproximateReceiveCount, partial batch responses,
 * and a redrive policy that moves a message to the dead-letter queue after `maxReceiveCount`.
 * A handler that throws (a crash) makes its whole batch visible again after the timeout.
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
}

interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
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
  private sequence = 0;

  constructor(private readonly options: SimulatedQueueOptions) {}

  send(body: string): void {
    this.sequence += 1;
    this.messages.push({ messageId: `sim-${this.sequence}`, body, receiveCount: 0, visibleAt: 0 });
  }

  /**
   * An operator's DLQ redrive (start-message-move-task): every dead letter goes back into this
   * queue as a new message, received from count 1 again. Returns how many moved.
   */
  redrive(): number {
    const moved = this.deadLetters.splice(0);
    for (const message of moved) this.send(message.body);
    return moved.length;
  }

  get depth(): number {
    return this.messages.length;
  }

  /** True when some message could be received at `now`. */
  hasVisible(now: number): boolean {
    return this.messages.some((message) => message.visibleAt <= now);
  }

  /** When the next invisible message reappears; undefined when the queue is empty. */
  nextVisibleAt(): number | undefined {
    return this.messages.length === 0
      ? undefined
      : Math.min(...this.messages.map((message) => message.visibleAt));
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
    for (const message of [...this.messages]) {
      if (batch.length >= this.options.batchSize) break;
      if (message.visibleAt > now) continue;
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
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:simulated',
    awsRegion: 'us-east-1',
  };
}

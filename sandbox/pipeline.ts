import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { SqsEntry } from '../bench/lib/fake-aws-server.js';
import { STREAMING_FILTER_POLICY } from '../infra/constructs/streaming-filter.js';
import { filterPolicyMatches } from '../test/support/sns-filter-policy.js';
import { SimulatedQueue } from '../test/support/sqs-simulator.js';
import type { EventLog } from './event-log.js';

/** A Lambda entry's handler, as functions/<name>/index.ts exports it. */
export type SqsHandler = (event: SQSEvent, context?: unknown) => Promise<SQSBatchResponse | undefined>;

/** The four functions of the relay's two pipelines. */
export interface PipelineFunctions {
  readonly 'inbound-ordering': SqsHandler;
  readonly inbound: SqsHandler;
  readonly 'outbound-ordering': SqsHandler;
  readonly outbound: SqsHandler;
}

/**
 * The queues as infra deploys them (infra/constructs/relay-queue.ts, ordering-stage.ts,
 * inbound-relay.ts, outbound-relay.ts): every consumer has a 30 s timeout, so every visibility
 * timeout is 6 × 30 s; 5 receives before the DLQ; batches of 10 with partial batch responses.
 */
const DEPLOYED = { visibilityTimeoutMs: 180_000, maxReceiveCount: 5, batchSize: 10, concurrency: 2 } as const;

/** Queue URLs the functions are configured with; the sandbox's loopback SQS answers them all. */
export function queueUrls(endpoint: string) {
  const url = (name: string) => `${endpoint}/111122223333/${name}`;
  return {
    inboundDlq: url('whatsapp-inbound-dlq'),
    inboundFifo: url('whatsapp-inbound-ordered.fifo'),
    inboundFifoDlq: url('whatsapp-inbound-ordered-dlq.fifo'),
    outboundDlq: url('whatsapp-outbound-dlq'),
    outboundFifo: url('whatsapp-outbound-ordered.fifo'),
    outboundFifoDlq: url('whatsapp-outbound-ordered-dlq.fifo'),
  };
}

interface Stage {
  readonly name: string;
  readonly queue: SimulatedQueue;
  readonly fn: keyof PipelineFunctions;
  running: boolean;
  again: boolean;
}

/**
 * SNS → SQS → Lambda, in process, for the sandbox: each topic feeds a standard queue (the
 * streaming topic through the deployed subscription filter), an ordering function moves items to
 * a FIFO queue, and the relay reads that. Queues are the test suite's SimulatedQueue (visibility
 * timeouts, partial batch failures, redrive to a DLQ after 5 receives). Every hop goes to the log.
 */
export class Pipeline {
  private readonly stages: Record<string, Stage>;
  private readonly urls: ReturnType<typeof queueUrls>;
  private pending = new Set<Promise<void>>();
  /** When each message body entered its queue (performance.now), for the time it waited there. */
  private readonly enqueuedAt = new Map<string, number>();

  constructor(
    private readonly functions: PipelineFunctions,
    endpoint: string,
    private readonly log: EventLog,
    /** The queues keep real time, so time travel never makes an in-flight message visible again. */
    realNow: () => number,
  ) {
    this.urls = queueUrls(endpoint);
    const idle = () => new Promise<void>((resolve) => setTimeout(resolve, 25));
    const stage = (name: string, fn: keyof PipelineFunctions, fifo: boolean): Stage => ({
      name,
      fn,
      queue: new SimulatedQueue({ ...DEPLOYED, fifo, idle, now: realNow }),
      running: false,
      again: false,
    });
    this.stages = {
      inbound: stage('SQS whatsapp-inbound', 'inbound-ordering', false),
      inboundFifo: stage('SQS whatsapp-inbound-ordered.fifo', 'inbound', true),
      outbound: stage('SQS whatsapp-outbound', 'outbound-ordering', false),
      outboundFifo: stage('SQS whatsapp-outbound-ordered.fifo', 'outbound', true),
    };
  }

  /** EUM Social publishes a webhook to the inbound topic. */
  publishInbound(envelope: unknown): void {
    this.log.add('sns', 'SNS whatsapp-inbound ← EUM Social webhook');
    this.enqueue('inbound', snsBody('whatsapp-inbound', JSON.stringify(envelope), {}));
  }

  /** Connect publishes a chat item to the streaming topic; the subscription filter decides. */
  publishStreaming(item: Record<string, unknown>, attributes: Record<string, string>): void {
    const label = `${attributes.ContentType ?? ''}${attributes.ParticipantRole ? ` (${attributes.ParticipantRole})` : ''}`;
    if (!filterPolicyMatches(STREAMING_FILTER_POLICY, attributes)) {
      this.log.add('sns', `SNS connect-chat-streaming: ${label} — dropped by the subscription filter`);
      return;
    }
    this.log.add('sns', `SNS connect-chat-streaming ← ${label}`);
    this.enqueue('outbound', snsBody('connect-chat-streaming', JSON.stringify(item), attributes));
  }

  /** What the functions send to SQS over the loopback endpoint: FIFO queues or dead-letter queues. */
  readonly sqsSink = (queueUrl: string, entries: readonly SqsEntry[]): void => {
    const target =
      queueUrl === this.urls.inboundFifo
        ? 'inboundFifo'
        : queueUrl === this.urls.outboundFifo
          ? 'outboundFifo'
          : undefined;
    for (const entry of entries) {
      if (entry.MessageGroupId === 'priming') continue;
      if (!target) {
        this.log.add('dlq', `Dead-lettered to ${queueUrl.split('/').pop()}: ${reasonOf(entry)}`);
        continue;
      }
      const stage = this.stages[target] as Stage;
      this.noteEnqueued(entry.MessageBody);
      const accepted = stage.queue.send(entry.MessageBody, {
        groupId: entry.MessageGroupId ?? 'none',
        deduplicationId: entry.MessageDeduplicationId ?? entry.Id,
      });
      this.log.add(
        'sqs',
        `${stage.name} ← group ${entry.MessageGroupId}${accepted ? '' : ' (duplicate dropped)'}`,
      );
    }
    if (target) this.pump(this.stages[target] as Stage);
  };

  /** Resolves when every queue is empty and no function is running. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private enqueue(key: string, body: string): void {
    const stage = this.stages[key] as Stage;
    this.noteEnqueued(body);
    stage.queue.send(body);
    this.log.add('sqs', `${stage.name} ← SNS notification`);
    this.pump(stage);
  }

  private noteEnqueued(body: string): void {
    if (this.enqueuedAt.size > 10_000) this.enqueuedAt.clear();
    this.enqueuedAt.set(body, performance.now());
  }

  /** Runs the event source mapping until the queue is empty (again if more arrived meanwhile). */
  private pump(stage: Stage): void {
    if (stage.running) {
      stage.again = true;
      return;
    }
    stage.running = true;
    const run = (async () => {
      do {
        stage.again = false;
        const result = await stage.queue.drain(
          (event) => this.invoke(stage, event),
          Number.POSITIVE_INFINITY,
        );
        for (const dead of result.deadLettered) {
          this.log.add('dlq', `${stage.name}: moved to its DLQ after ${dead.receiveCount} receives`);
        }
        stage.queue.deadLetters.splice(0);
      } while (stage.again || stage.queue.depth > 0);
      stage.running = false;
    })();
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
  }

  private async invoke(stage: Stage, event: SQSEvent): Promise<SQSBatchResponse | undefined> {
    const started = performance.now();
    const waited = Math.max(
      ...event.Records.map((record) => started - (this.enqueuedAt.get(record.body) ?? started)),
    );
    this.log.add(
      'sqs',
      `${stage.name} → λ ${stage.fn} (batch of ${event.Records.length}, waited in the queue)`,
      waited,
    );
    try {
      const response = await this.functions[stage.fn](event, { getRemainingTimeInMillis: () => 30_000 });
      const failed = response?.batchItemFailures.length ?? 0;
      this.log.add(
        'function',
        `λ ${stage.fn} done${failed ? `, ${failed} failed (retried after the visibility timeout)` : ''}`,
        performance.now() - started,
      );
      return response;
    } catch (error) {
      this.log.add('function', `λ ${stage.fn} crashed: ${String(error)}`, performance.now() - started);
      throw error;
    }
  }
}

/** The SNS notification an SQS subscription receives (raw delivery off, as deployed). */
function snsBody(topic: string, message: string, attributes: Record<string, string>): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: `sns-${Math.random().toString(36).slice(2)}`,
    TopicArn: `arn:aws:sns:us-east-1:111122223333:${topic}`,
    Message: message,
    Timestamp: new Date().toISOString(),
    SignatureVersion: '1',
    MessageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([name, value]) => [name, { Type: 'String', Value: value }]),
    ),
  });
}

/** The reason SqsRejectedRecordSink puts in the RejectReason message attribute. */
function reasonOf(entry: SqsEntry): string {
  const attributes = (entry as { MessageAttributes?: Record<string, { StringValue?: string }> })
    .MessageAttributes;
  return attributes?.RejectReason?.StringValue ?? 'no reason given';
}

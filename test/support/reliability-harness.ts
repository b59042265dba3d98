import { AsyncLocalStorage } from 'node:async_hooks';
import { SendMessageBatchCommand, SendMessageCommand as SqsSendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { vi } from 'vitest';
import { type CapturedOutput, captureOutput } from './captured-output.js';
import { type DynamoDbFault, type DynamoDbRequest, injectDynamoDbFaults } from './dynamodb-faults.js';
import type { FakeConnectOptions, FakeContact } from './fake-connect.js';
import {
  coldStartContainer,
  type Handler,
  PIPELINE_QUEUES,
  type RelayContainer,
  roundRobin,
  type Stage,
} from './relay-containers.js';
import { type RelayEnvironment, startRelayEnvironment } from './relay-environment.js';
import { SeededRandom } from './seeded-random.js';
import { type DrainResult, SimulatedQueue, type SimulatedQueueOptions } from './sqs-simulator.js';
import { agentText, streamingRecord } from './streaming-events.js';
import { VirtualClock } from './virtual-clock.js';
import { BUSINESS, type BusinessFixture, eumEnvelope, sqsRecordFor, textMessage } from './whatsapp-events.js';

/**
 * The whole relay as deployed, driven through SQS semantics: in each direction a standard queue
 * (what SNS feeds) → the real ordering-stage entry module → a FIFO queue (message groups,
 * deduplication) → the real relay entry module, each queue with redrive to a DLQ; the DynamoDB
 * emulator; and Connect and EUM Social faked at the SDK boundary. Meta answers every WhatsApp
 * send with its delivered and read statuses, as it would. The run keeps a model of what should
 * arrive where, and measures what did.
 */

/** Printed figures bypass the output capture (which swallows console while a run is on). */
const print = console.info.bind(console);

/** `exit`: the process is gone, so the call never leaves it (and nothing retries it). */
export type FaultKind = 'throttle' | 'server-error' | 'timeout' | 'exit';
export type AwsService = 'connect' | 'participant' | 'whatsapp' | 'dynamodb' | 'sqs';

/** One AWS call (or, for DynamoDB, one HTTP attempt beneath the SDK's retries). */
export interface AwsCall {
  readonly service: AwsService;
  readonly operation: string;
  readonly phase: 'before' | 'after';
  /** What is being asked (a ClientToken, a message, a table key): stable across retries. */
  readonly key: string;
  /** The chat text the call carries (participant SendMessage, a WhatsApp send), if any. */
  readonly text?: string;
  /** The handler invocation making the call, if any. */
  readonly invocation: Invocation | undefined;
}

/** Decides the fate of each call; `after` means the call took effect and then its answer was lost. */
export type FaultPlan = (call: AwsCall) => FaultKind | undefined;

/** One Lambda invocation, traced through its calls (AsyncLocalStorage follows the awaits). */
export interface Invocation {
  readonly id: number;
  /** The function it runs: a relay (`inbound`, `outbound`) or an ordering stage. */
  readonly queue: Stage;
  /** The container (its index in the deployment) that runs it. */
  readonly container: number;
  calls: number;
  /** The process is gone: every further call fails without effect. */
  dead: boolean;
  /** WhatsApp sends that took effect in this invocation, per Connect item id. */
  readonly sends: Map<string, number>;
  /** Send-once claims this invocation marked sent (the write reached the table), per item id. */
  readonly marks: Map<string, number>;
  /** Free for a fault plan's own state (a crash point, say). */
  readonly plan: Record<string, number | boolean | string>;
}

export interface ConversationRef {
  readonly business: BusinessFixture;
  readonly customer: string;
  readonly e164: string;
}

interface CustomerMessage {
  readonly conversation: ConversationRef;
  readonly wamid: string;
  readonly body: string;
}

interface AgentMessage {
  readonly conversation: ConversationRef;
  /** The chat the agent wrote in (InitialContactId). */
  readonly contactId: string;
  readonly itemId: string;
  readonly text: string;
}

export interface QueueSettings
  extends Pick<
    SimulatedQueueOptions,
    'visibilityTimeoutMs' | 'maxReceiveCount' | 'batchSize' | 'concurrency'
  > {}

export interface RunOptions {
  readonly seed: number;
  readonly queue: QueueSettings;
  readonly env?: Record<string, string>;
  /** How many times Meta's status webhooks are delivered (at-least-once). */
  readonly statusCopies?: number;
  /**
   * Lambda containers per function (default 1: every invocation shares one module instance).
   * Each container is a fresh import of the entry module, with its own clients and cache.
   */
  readonly containers?: number;
  /** How the fake Connect behaves (the harness owns its faults and gate). */
  readonly connect?: Omit<FakeConnectOptions, 'faults' | 'gate'>;
}

/** Where an invocation runs: the container's index. Replace `ReliabilityRun.route` to choose. */
export type Routing = (
  containers: readonly RelayContainer[],
  queue: Stage,
  invocation: { readonly id: number },
) => number;

export interface Figures {
  readonly inbound: Tally;
  readonly outbound: Tally & { readonly misrouted: number };
  readonly receipts: Tally;
  readonly conversations: number;
  readonly maxChatsPerConversation: number;
  readonly deadLettered: { readonly redrive: number; readonly rejected: number };
  /**
   * Messages a conversation received before one that entered its FIFO message group earlier
   * (customer → Connect transcripts, agent → WhatsApp sends). See `outOfOrder`.
   */
  readonly outOfOrder: { readonly inbound: number; readonly outbound: number };
  readonly possibleDuplicateSends: number;
  /** WhatsApp sends that took effect but whose send-once claim that attempt did not mark sent. */
  readonly unrecordedSends: number;
  readonly injected: Readonly<Record<string, number>>;
  readonly invocations: number;
  readonly crashes: number;
  readonly maxReceivesToSucceed: number;
  readonly virtualMinutes: number;
}

export interface Tally {
  readonly expected: number;
  readonly delivered: number;
  readonly duplicates: number;
  /** Delivered into another conversation's chat, or text nobody sent. */
  readonly stray: number;
}

export class ReliabilityRun {
  readonly random: SeededRandom;
  readonly invocations = new AsyncLocalStorage<Invocation>();
  readonly injected: Record<string, number> = {};
  /** Replace to inject faults; consulted on every call. */
  faults: FaultPlan = () => undefined;
  /** Replace to hold a Connect or participant call while something else happens; awaited before it. */
  gate: (call: AwsCall) => Promise<void> | undefined = () => undefined;
  /** Replace to choose each invocation's container (default: idle containers in turn). */
  route: Routing = roundRobin();
  /** The containers serving both functions now; `redeploy` replaces them. */
  containers: RelayContainer[];
  /** While true, Meta's statuses are kept in `heldStatuses` instead of being delivered at once. */
  holdStatuses = false;
  readonly heldStatuses: string[] = [];
  /** Replace to wrap the real handlers (a crash, say). */
  wrapInbound: (handler: Handler, event: SQSEvent) => Promise<SQSBatchResponse> = (handler, event) =>
    handler(event);
  wrapOutbound: (handler: Handler, event: SQSEvent) => Promise<SQSBatchResponse> = (handler, event) =>
    handler(event);
  wrapOrdering: (handler: Handler, event: SQSEvent) => Promise<SQSBatchResponse> = (handler, event) =>
    handler(event);

  private readonly customerMessages: CustomerMessage[] = [];
  private readonly agentMessages: AgentMessage[] = [];
  private readonly finished: Invocation[] = [];
  private readonly drains: DrainResult[] = [];
  private readonly attempts = new Map<string, number>();
  private invocationSequence = 0;
  private itemSequence = 0;
  /**
   * Records a function sent straight to its DLQ (malformed or refused), not yet redriven: by an
   * ordering stage (to the standard queue's DLQ), or by a relay (to its FIFO DLQ, with its group).
   */
  private readonly rejected: { stage: Stage; body: string; groupId?: string }[] = [];

  private constructor(
    readonly options: RunOptions,
    readonly clock: VirtualClock,
    readonly env: RelayEnvironment,
    readonly output: CapturedOutput,
    /** The standard queues SNS feeds; each ordering stage reads one. */
    readonly inboundQueue: SimulatedQueue,
    readonly outboundQueue: SimulatedQueue,
    /** The FIFO queues the ordering stages fill and the relays read. */
    readonly inboundFifo: SimulatedQueue,
    readonly outboundFifo: SimulatedQueue,
    private readonly restoreDynamoDb: () => void,
    containers: RelayContainer[],
  ) {
    this.random = new SeededRandom(options.seed);
    this.containers = containers;
    // Dead-lettering by the functions themselves (SqsRejectedRecordSink) is kept per stage, for redrive.
    env.sqs
      .on(SqsSendMessageCommand)
      .callsFake((input: { MessageBody?: string; MessageGroupId?: string }) => {
        this.rejected.push({
          stage: this.invocations.getStore()?.queue ?? 'inbound',
          body: input.MessageBody ?? '',
          ...(input.MessageGroupId ? { groupId: input.MessageGroupId } : {}),
        });
        return { MessageId: `dlq-message-${this.rejected.length}`, $metadata: {} };
      });
    // The ordering stages' sends to the FIFO queues.
    env.sqs.on(SendMessageBatchCommand).callsFake(
      (input: {
        QueueUrl?: string;
        Entries?: {
          Id?: string;
          MessageBody?: string;
          MessageGroupId?: string;
          MessageDeduplicationId?: string;
        }[];
      }) => {
        const entries = input.Entries ?? [];
        // Init-time priming (aborted before the network by the real SDK) has no effect here either.
        if (entries.some((entry) => entry.MessageDeduplicationId === 'priming')) {
          throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
        }
        const key = entries.map((entry) => entry.MessageDeduplicationId).join(',');
        const before = this.decide('sqs', 'SendMessageBatch', 'before', key);
        if (before) throw sdkError('sqs', before);
        const fifo = input.QueueUrl === PIPELINE_QUEUES.outboundFifo ? this.outboundFifo : this.inboundFifo;
        for (const entry of entries) {
          fifo.send(entry.MessageBody ?? '', {
            groupId: entry.MessageGroupId ?? '',
            deduplicationId: entry.MessageDeduplicationId ?? '',
          });
        }
        const after = this.decide('sqs', 'SendMessageBatch', 'after', key);
        if (after) throw sdkError('sqs', after);
        return {
          Successful: entries.map((entry) => ({
            Id: entry.Id,
            MessageId: `fifo-${entry.Id}`,
            MD5OfMessageBody: '',
          })),
          Failed: [],
          $metadata: {},
        };
      },
    );
  }

  static async start(options: RunOptions): Promise<ReliabilityRun> {
    // Installed before the relay modules load: index.ts captures Date.now.
    const clock = new VirtualClock().install();
    let run: ReliabilityRun | undefined;
    const mockFault =
      (service: 'connect' | 'whatsapp') =>
      (operation: string, phase: 'before' | 'after', input?: unknown) => {
        if (!run) return undefined;
        const actual: AwsService =
          service === 'whatsapp' ? 'whatsapp' : operation.startsWith('Start') ? 'connect' : 'participant';
        if (actual === 'whatsapp' && phase === 'after') run.whatsAppSendTookEffect();
        const fault = run.decide(actual, operation, phase, requestKey(operation, input), textOf(input));
        return fault ? sdkError(actual, fault) : undefined;
      };
    const env = await startRelayEnvironment({
      env: { POWERTOOLS_LOG_LEVEL: 'WARN', ...options.env },
      connect: {
        ...options.connect,
        faults: mockFault('connect'),
        gate: (operation, input) =>
          run?.gate({
            service: operation.startsWith('Start') ? 'connect' : 'participant',
            operation,
            phase: 'before',
            key: requestKey(operation, input),
            invocation: run.invocations.getStore(),
          }),
      },
      whatsApp: { faults: mockFault('whatsapp') },
    });
    // Every container is cold-started as deployed: the relays behind FIFO queues, with FIFO DLQs.
    const containers: RelayContainer[] = [];
    for (let index = 0; index < (options.containers ?? 1); index++) {
      containers.push(await coldStartContainer(index, 0));
    }
    const dynamoDb = injectDynamoDbFaults({
      exempt: [env.emulator.client],
      faults: (operation, phase, request) => {
        if (!run) return undefined;
        if (phase === 'after') run.dynamoDbWriteTookEffect(operation, request);
        return run.decide('dynamodb', operation, phase, dynamoDbKey(request)) as DynamoDbFault | undefined;
      },
    });
    const output = captureOutput();
    const queues: SimulatedQueue[] = [];
    // Time jumps only when no invocation runs and nothing is visible: a pure wait for redelivery.
    const idle = async () => {
      const now = clock.now();
      const busy = queues.some((queue) => queue.inFlight > 0 || queue.hasVisible(now));
      const next = Math.min(...queues.map((queue) => queue.nextVisibleAt(now) ?? Number.POSITIVE_INFINITY));
      if (!busy && Number.isFinite(next)) clock.advanceTo(next);
      else await new Promise((resolve) => setTimeout(resolve, 2));
    };
    const queueOptions = { ...options.queue, now: clock.now, idle };
    queues.push(
      new SimulatedQueue(queueOptions),
      new SimulatedQueue(queueOptions),
      new SimulatedQueue({ ...queueOptions, fifo: true }),
      new SimulatedQueue({ ...queueOptions, fifo: true }),
    );
    const [inboundQueue, outboundQueue, inboundFifo, outboundFifo] = queues as [
      SimulatedQueue,
      SimulatedQueue,
      SimulatedQueue,
      SimulatedQueue,
    ];
    run = new ReliabilityRun(
      options,
      clock,
      env,
      output,
      inboundQueue,
      outboundQueue,
      inboundFifo,
      outboundFifo,
      dynamoDb.restore,
      containers,
    );
    return run;
  }

  /**
   * A deployment with changed configuration: `env` is set, and every container is replaced by a
   * cold one that reads it. Invocations already running finish in their old containers.
   */
  async redeploy(env: Record<string, string> = {}): Promise<void> {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const generation = Math.max(...this.containers.map((container) => container.generation)) + 1;
    const fresh: RelayContainer[] = [];
    for (let index = 0; index < this.containers.length; index++) {
      fresh.push(await coldStartContainer(index, generation));
    }
    this.containers = fresh;
  }

  /**
   * The operator's redrive: every dead letter of the four queues (after max receives, or sent there
   * by a function itself) goes back to its source queue; a FIFO one keeps its message group.
   * Returns how many moved.
   */
  redriveDeadLetters(): number {
    let moved = this.allQueues().reduce((sum, queue) => sum + queue.redrive(), 0);
    for (const { stage, body, groupId } of this.rejected.splice(0)) {
      if (stage === 'inbound' || stage === 'outbound') {
        const fifo = stage === 'inbound' ? this.inboundFifo : this.outboundFifo;
        fifo.requeue(body, { groupId: groupId ?? `rejected-${moved}`, deduplicationId: `redrive-${moved}` });
      } else {
        this.queue(stage === 'inbound-ordering' ? 'inbound' : 'outbound').send(body);
      }
      moved++;
    }
    return moved;
  }

  /** How many invocations each container (by index) has run so far. */
  invocationsByContainer(): number[] {
    const counts = this.containers.map(() => 0);
    for (const invocation of this.finished)
      counts[invocation.container] = (counts[invocation.container] ?? 0) + 1;
    return counts;
  }

  /** Records in the DLQ now (after max receives, or rejected by the relay), not yet redriven. */
  deadLettersWaiting(): number {
    return this.allQueues().reduce((sum, queue) => sum + queue.deadLetters.length, this.rejected.length);
  }

  /** Resolves once the outbound direction has handled everything it can for now (nothing visible or running). */
  async outboundQuiet(): Promise<void> {
    const busy = (queue: SimulatedQueue) => queue.inFlight > 0 || queue.hasVisible(this.clock.now());
    while (busy(this.outboundQueue) || busy(this.outboundFifo)) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  async stop(): Promise<void> {
    this.output.restore();
    this.restoreDynamoDb();
    await this.env.stop();
    this.clock.restore();
  }

  conversation(customer: string, business: BusinessFixture = BUSINESS): ConversationRef {
    return { business, customer, e164: `+${customer}` };
  }

  /** A customer's text as EUM Social publishes it (an SQS body); registered as expected in Connect. */
  customerMessage(conversation: ConversationRef, body: string): string {
    const message = textMessage({ from: conversation.customer, body });
    this.customerMessages.push({ conversation, wamid: message.id, body });
    return sqsRecordFor(eumEnvelope({ messages: [message], business: conversation.business })).body;
  }

  /**
   * Voice callbacks as the customers saw them: per customer number, how many calls rang (one per
   * distinct Connect contact) and how many WhatsApp replies the relay sent about them.
   */
  callbacks(): Map<string, { readonly calls: number; readonly replies: number }> {
    const result = new Map<string, { calls: number; replies: number }>();
    const entry = (e164: string) => {
      const found = result.get(e164) ?? { calls: 0, replies: 0 };
      result.set(e164, found);
      return found;
    };
    for (const call of this.env.connect.outboundCalls) entry(call.input.DestinationPhoneNumber ?? '').calls++;
    // The relay's own replies to a customer carry no Connect item (no callback data).
    for (const sent of this.env.whatsApp.sent) {
      const to = sent.payload.to;
      if (typeof to === 'string' && sent.payload.type === 'text' && !itemIdOf(sent.payload))
        entry(to).replies++;
    }
    return result;
  }

  /** An agent's text as Connect streams it; registered as expected on WhatsApp. */
  agentMessage(conversation: ConversationRef, text: string): string {
    const itemId = `agent-item-${this.options.seed}-${++this.itemSequence}`;
    const { contactId } = this.contactOf(conversation);
    this.agentMessages.push({ conversation, contactId, itemId, text });
    return agentText(contactId, text, { id: itemId }).body;
  }

  /**
   * A message the contact flow sends (a Send message block, e.g. "Connecting you…"), as Connect
   * streams it: role SYSTEM, visible to all. Registered as expected on WhatsApp, like an agent's.
   */
  flowMessage(conversation: ConversationRef, text: string): string {
    const itemId = `flow-item-${this.options.seed}-${++this.itemSequence}`;
    const { contactId } = this.contactOf(conversation);
    this.agentMessages.push({ conversation, contactId, itemId, text });
    return streamingRecord({
      initialContactId: contactId,
      contentType: 'text/plain',
      content: text,
      role: 'SYSTEM',
      displayName: 'SYSTEM_MESSAGE',
      id: itemId,
    }).body;
  }

  /** The agent typing (a WhatsApp typing indicator, not a chat message). */
  agentTyping(conversation: ConversationRef): string {
    return streamingRecord({
      initialContactId: this.contactOf(conversation).contactId,
      contentType: 'application/vnd.amazonaws.connect.event.typing',
      role: 'AGENT',
      id: `typing-${this.options.seed}-${++this.itemSequence}`,
    }).body;
  }

  /** Enqueues each body once, in the order given (as SNS delivered them, one after another). */
  publish(items: readonly { queue: 'inbound' | 'outbound'; body: string }[]): void {
    for (const item of items) this.queue(item.queue).send(item.body);
  }

  /** Enqueues every body `copies` times, in a seeded order (SNS and SQS are at-least-once). */
  deliver(items: readonly { queue: 'inbound' | 'outbound'; body: string }[], copies = 1): void {
    const all = items.flatMap((item) => Array.from({ length: copies }, () => item));
    for (const item of this.random.shuffle(all)) this.queue(item.queue).send(item.body);
  }

  /** Drains both queues until both are empty (statuses Meta sends during a drain land in inbound). */
  async settle(): Promise<void> {
    const handler = (stage: Stage) => (event: SQSEvent) => this.invoke(stage, event);
    // A queue's pollers stop when it is empty, but other queues can feed it again (the ordering
    // stage fills the FIFO queue; Meta's statuses for an agent's message come back inbound): keep
    // all four polled until all are empty.
    const depth = () => this.allQueues().reduce((sum, queue) => sum + queue.depth, 0);
    const poll = async (queue: SimulatedQueue, handle: Handler) => {
      while (depth() > 0) {
        if (queue.depth === 0) await new Promise((resolve) => setTimeout(resolve, 2));
        else this.drains.push(await queue.drain(handle, 6 * 3_600_000));
      }
    };
    await Promise.all([
      poll(this.inboundQueue, handler('inbound-ordering')),
      poll(this.inboundFifo, handler('inbound')),
      poll(this.outboundQueue, handler('outbound-ordering')),
      poll(this.outboundFifo, handler('outbound')),
    ]);
  }

  /** The conversation's chats (contacts), oldest first. */
  contactsOf(conversation: ConversationRef): FakeContact[] {
    return [...this.env.connect.contacts.values()].filter(
      (contact) =>
        contact.input.Attributes?.customerId === conversation.customer &&
        contact.input.Attributes?.businessPhoneNumberId === conversation.business.phoneNumberId,
    );
  }

  contactOf(conversation: ConversationRef): FakeContact {
    const contact = this.contactsOf(conversation).at(-1);
    if (!contact) throw new Error(`No chat yet for ${conversation.customer}`);
    return contact;
  }

  /** Measures what reached Connect and WhatsApp against what was sent. */
  figures(): Figures {
    const conversations = uniqueConversations([
      ...this.customerMessages.map((message) => message.conversation),
      ...this.agentMessages.map((message) => message.conversation),
    ]);
    const contacts = [...this.env.connect.contacts.values()];
    const sendsOf = new Map<string, number>();
    for (const sent of this.env.whatsApp.sent) {
      const itemId = itemIdOf(sent.payload);
      if (itemId) sendsOf.set(itemId, (sendsOf.get(itemId) ?? 0) + 1);
    }
    return {
      inbound: this.inboundTally(contacts),
      outbound: this.outboundTally(),
      receipts: this.receiptTally(contacts, sendsOf),
      conversations: conversations.length,
      maxChatsPerConversation: Math.max(0, ...conversations.map((c) => this.contactsOf(c).length)),
      deadLettered: {
        redrive: this.allQueues().reduce((sum, queue) => sum + queue.deadLetters.length, 0),
        rejected: this.env.sqs.commandCalls(SqsSendMessageCommand).length,
      },
      outOfOrder: { inbound: this.inboundOutOfOrder(), outbound: this.outboundOutOfOrder() },
      possibleDuplicateSends: this.output.metric('PossibleDuplicateSends'),
      unrecordedSends: this.finished.reduce((sum, invocation) => sum + unrecorded(invocation), 0),
      injected: { ...this.injected },
      invocations: this.drains.reduce((sum, drain) => sum + drain.invocations, 0),
      crashes: this.drains.reduce((sum, drain) => sum + drain.crashes, 0),
      maxReceivesToSucceed: Math.max(...this.allQueues().map((queue) => queue.maxReceivesToSucceed)),
      virtualMinutes: Math.round(this.clock.skippedMs / 60_000),
    };
  }

  /** Prints the figures (they are asserted by the caller). */
  report(title: string, figures: Figures, extra: Record<string, unknown> = {}): void {
    const tally = (t: Tally) =>
      `${t.delivered}/${t.expected} delivered, ${t.duplicates} duplicates, ${t.stray} stray`;
    const injected = Object.entries(figures.injected)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, count]) => `${name}=${count}`)
      .join(' ');
    print(
      [
        `[reliability] ${title} (seed ${this.options.seed})`,
        `  customer → Connect : ${tally(figures.inbound)}`,
        `  agent → WhatsApp   : ${tally(figures.outbound)}, ${figures.outbound.misrouted} from the wrong number`,
        `  receipts → agent   : ${tally(figures.receipts)}`,
        `  chats              : ${figures.conversations} conversations, at most ${figures.maxChatsPerConversation} chat(s) each`,
        `  DLQ                : ${figures.deadLettered.redrive} after max receives, ${figures.deadLettered.rejected} rejected by the relay`,
        `  out of order       : ${figures.outOfOrder.inbound} customer → Connect, ${figures.outOfOrder.outbound} agent → WhatsApp`,
        `  duplicate sends    : PossibleDuplicateSends=${figures.possibleDuplicateSends}, unrecorded sends=${figures.unrecordedSends}`,
        `  queue              : ${figures.invocations} invocations, ${figures.crashes} crashes, max ${figures.maxReceivesToSucceed} receives to succeed, ${figures.virtualMinutes} min of redelivery waits skipped`,
        ...(injected ? [`  faults injected    : ${injected}`] : []),
        ...Object.entries(extra).map(([name, value]) => `  ${name.padEnd(19)}: ${String(value)}`),
      ].join('\n'),
    );
  }

  private queue(name: 'inbound' | 'outbound'): SimulatedQueue {
    return name === 'inbound' ? this.inboundQueue : this.outboundQueue;
  }

  private allQueues(): SimulatedQueue[] {
    return [this.inboundQueue, this.inboundFifo, this.outboundQueue, this.outboundFifo];
  }

  /**
   * Customer messages a chat got before one that entered the conversation's FIFO group earlier.
   * The reference is the FIFO queue's order: that is the order the relay promises (Meta's
   * timestamps within an ordering-stage batch, then arrival at the ordering stage).
   */
  private inboundOutOfOrder(): number {
    let total = 0;
    for (const conversation of uniqueConversations(
      this.customerMessages.map((message) => message.conversation),
    )) {
      const transcript = this.contactsOf(conversation).flatMap((contact) => contact.transcript);
      const order = this.customerMessages
        .filter((message) => sameConversation(message.conversation, conversation))
        .map((message) => ({
          entered: lastEntry(this.inboundFifo, (body) => body.includes(message.wamid)),
          arrived: transcript.findIndex((entry) => entry.content === message.body),
        }));
      total += inversions(order);
    }
    return total;
  }

  /** Agent messages WhatsApp got before one that entered the chat's FIFO group earlier. */
  private outboundOutOfOrder(): number {
    const chat = this.env.whatsApp.sent.filter((sent) => sent.payload.type !== undefined);
    let total = 0;
    for (const conversation of uniqueConversations(
      this.agentMessages.map((message) => message.conversation),
    )) {
      const order = this.agentMessages
        .filter((message) => sameConversation(message.conversation, conversation))
        .map((message) => ({
          entered: lastEntry(this.outboundFifo, (body) => streamingItemId(body) === message.itemId),
          arrived: chat.findIndex(
            (sent) => sent.payload.to === conversation.e164 && textOf(sent.payload) === message.text,
          ),
        }));
      total += inversions(order);
    }
    return total;
  }

  private async invoke(queue: Stage, event: SQSEvent): Promise<SQSBatchResponse> {
    const id = ++this.invocationSequence;
    const container = this.containers[this.route(this.containers, queue, { id })] ?? this.containers[0];
    if (!container) throw new Error('No container to run the invocation');
    const invocation: Invocation = {
      id,
      queue,
      container: container.index,
      calls: 0,
      dead: false,
      sends: new Map(),
      marks: new Map(),
      plan: {},
    };
    const handler = container[queue];
    const wrap =
      queue === 'inbound' ? this.wrapInbound : queue === 'outbound' ? this.wrapOutbound : this.wrapOrdering;
    container.busy[queue] += 1;
    try {
      return await this.invocations.run(invocation, () => wrap(handler, event));
    } finally {
      container.busy[queue] -= 1;
      this.finished.push(invocation);
    }
  }

  /** Counts the attempt, asks the plan, and records what was injected. */
  private decide(
    service: AwsService,
    operation: string,
    phase: 'before' | 'after',
    key: string,
    text?: string,
  ) {
    const invocation = this.invocations.getStore();
    if (invocation && phase === 'before') invocation.calls += 1;
    const attemptKey = `${service}|${operation}|${key}`;
    if (phase === 'before') this.attempts.set(attemptKey, (this.attempts.get(attemptKey) ?? 0) + 1);
    const fault = this.faults({
      service,
      operation,
      phase,
      key: `${key}#${this.attempts.get(attemptKey)}`,
      ...(text === undefined ? {} : { text }),
      invocation,
    });
    if (fault) {
      const name = `${service}.${operation}.${phase === 'after' ? 'after-effect-' : ''}${fault}`;
      this.injected[name] = (this.injected[name] ?? 0) + 1;
    }
    return fault;
  }

  /** Meta delivers the message and sends its statuses; the sending invocation is credited. */
  private whatsAppSendTookEffect(): void {
    // The fake records the send and then asks for the 'after' fault, with no await in between.
    const sent = this.env.whatsApp.sent.at(-1);
    const itemId = sent ? itemIdOf(sent.payload) : undefined;
    if (!sent || !itemId) return;
    const invocation = this.invocations.getStore();
    if (invocation) invocation.sends.set(itemId, (invocation.sends.get(itemId) ?? 0) + 1);
    const conversation = this.agentMessages.find((message) => message.itemId === itemId)?.conversation;
    const statuses = ['delivered', 'read'].map(
      (status) =>
        sqsRecordFor(
          eumEnvelope({
            statuses: [
              {
                id: `wamid.OUT.${sent.messageId}`,
                status,
                timestamp: String(Math.floor(this.clock.now() / 1000)),
                recipient_id: conversation?.customer,
                biz_opaque_callback_data: sent.payload.biz_opaque_callback_data,
              },
            ],
            contacts: [],
            ...(conversation ? { business: conversation.business } : {}),
          }),
        ).body,
    );
    for (let copy = 0; copy < (this.options.statusCopies ?? 1); copy++) {
      for (const status of statuses) {
        if (this.holdStatuses) this.heldStatuses.push(status);
        else this.inboundQueue.send(status);
      }
    }
  }

  /** A send-once claim marked sent reached the table: that send is on record. */
  private dynamoDbWriteTookEffect(operation: string, request: DynamoDbRequest): void {
    // markSent writes its records with PutItem or, batched, with BatchWriteItem.
    const batched =
      (request.RequestItems as Record<string, { PutRequest?: { Item?: unknown } }[]> | undefined) ?? {};
    const items =
      operation === 'PutItem'
        ? [request.Item]
        : operation === 'BatchWriteItem'
          ? Object.values(batched).flatMap((requests) => requests.map((entry) => entry.PutRequest?.Item))
          : [];
    for (const candidate of items) {
      const item = candidate as Record<string, { S?: string }> | undefined;
      const pk = item?.pk?.S;
      if (item?.sendStatus?.S !== 'sent' || !pk?.startsWith('send#')) continue;
      const itemId = pk.slice('send#'.length).replace(/#\d+$/, '');
      const invocation = this.invocations.getStore();
      if (invocation) invocation.marks.set(itemId, (invocation.marks.get(itemId) ?? 0) + 1);
    }
  }

  private inboundTally(contacts: FakeContact[]): Tally {
    let delivered = 0;
    let duplicates = 0;
    let stray = 0;
    const expectedBodies = new Set(this.customerMessages.map((message) => message.body));
    for (const message of this.customerMessages) {
      const own = this.contactsOf(message.conversation);
      const count = own.reduce((sum, contact) => sum + occurrences(contact, message.body), 0);
      if (count > 0) delivered++;
      duplicates += Math.max(0, count - 1);
      stray += contacts
        .filter((contact) => !own.includes(contact))
        .reduce((sum, contact) => sum + occurrences(contact, message.body), 0);
    }
    // Anything in a chat that no customer sent (and is not a relay notice) is stray too.
    for (const contact of contacts) {
      stray += contact.transcript.filter(
        (entry) => !expectedBodies.has(entry.content) && !entry.content.startsWith('⚠'),
      ).length;
    }
    return { expected: this.customerMessages.length, delivered, duplicates, stray };
  }

  private outboundTally(): Tally & { misrouted: number } {
    const chat = this.env.whatsApp.sent.filter((sent) => sent.payload.type !== undefined);
    let delivered = 0;
    let duplicates = 0;
    let stray = 0;
    let misrouted = 0;
    for (const message of this.agentMessages) {
      const copies = chat.filter((sent) => textOf(sent.payload) === message.text);
      const right = copies.filter((sent) => sent.payload.to === message.conversation.e164);
      if (right.length > 0) delivered++;
      duplicates += Math.max(0, right.length - 1);
      stray += copies.length - right.length;
      misrouted += right.filter(
        (sent) => sent.originationPhoneNumberId !== message.conversation.business.phoneNumberId,
      ).length;
    }
    const expectedTexts = new Set(this.agentMessages.map((message) => message.text));
    stray += chat.filter((sent) => !expectedTexts.has(textOf(sent.payload) ?? '')).length;
    return { expected: this.agentMessages.length, delivered, duplicates, stray, misrouted };
  }

  /** Each agent message that reached WhatsApp should show delivered and read to its agent once. */
  private receiptTally(contacts: FakeContact[], sendsOf: Map<string, number>): Tally {
    const seen = new Map<string, { contactId: string; count: number }>();
    for (const contact of contacts) {
      for (const event of contact.events) {
        if (!event.contentType.includes('event.message.')) continue;
        const itemId = (JSON.parse(event.content ?? '{}') as { messageId?: string }).messageId;
        const key = `${itemId}|${event.contentType}`;
        const entry = seen.get(key) ?? { contactId: contact.contactId, count: 0 };
        entry.count += 1;
        seen.set(key, entry);
      }
    }
    let expected = 0;
    let delivered = 0;
    let duplicates = 0;
    let stray = 0;
    for (const message of this.agentMessages) {
      const sends = sendsOf.get(message.itemId) ?? 0;
      if (sends === 0) continue;
      for (const status of ['delivered', 'read']) {
        expected++;
        const entry = seen.get(`${message.itemId}|application/vnd.amazonaws.connect.event.message.${status}`);
        if (!entry) continue;
        delivered++;
        // A message WhatsApp got twice has two sets of statuses; only more than that is a duplicate.
        duplicates += Math.max(0, entry.count - sends);
        if (entry.contactId !== message.contactId) stray++;
      }
    }
    return { expected, delivered, duplicates, stray };
  }
}

/** The identity of a request, the same on every retry of it. */
function requestKey(operation: string, input: unknown): string {
  const fields = (input ?? {}) as Record<string, unknown>;
  if (operation === 'SendWhatsAppMessage' && fields.message instanceof Uint8Array) {
    return new TextDecoder().decode(fields.message);
  }
  const identity =
    fields.ClientToken ?? fields.ParticipantToken ?? fields.ContactId ?? fields.ConnectionToken;
  return String(identity ?? '');
}

function dynamoDbKey(request: DynamoDbRequest): string {
  const key = (request.Key ?? request.Item) as Record<string, { S?: string }> | undefined;
  return `${key?.pk?.S ?? ''}|${String(request.UpdateExpression ?? request.ConditionExpression ?? '')}`;
}

/** The error each fake's SDK would raise for a fault. */
function sdkError(service: AwsService, fault: FaultKind): Error {
  // A dead process's calls look like timeouts to the code still unwinding in it.
  if (fault === 'timeout' || fault === 'exit') {
    return Object.assign(new Error('Socket timed out waiting for the response'), { name: 'TimeoutError' });
  }
  const throttle = service === 'whatsapp' ? 'ThrottledRequestException' : 'ThrottlingException';
  // The participant service names its 500 differently from Connect and EUM Social (and SQS too).
  const server =
    service === 'participant'
      ? 'InternalServerException'
      : service === 'sqs'
        ? 'InternalError'
        : 'InternalServiceException';
  const [name, httpStatusCode] = fault === 'throttle' ? [throttle, 429] : [server, 500];
  return Object.assign(new Error(`${name} (injected)`), { name, $metadata: { httpStatusCode } });
}

function itemIdOf(payload: Record<string, unknown>): string | undefined {
  const callback = payload.biz_opaque_callback_data;
  return typeof callback === 'string' ? callback.split('|')[1] : undefined;
}

function textOf(payload: unknown): string | undefined {
  const fields = (payload ?? {}) as Record<string, unknown>;
  if (typeof fields.Content === 'string') return fields.Content;
  if (fields.message instanceof Uint8Array) {
    return textOf(JSON.parse(new TextDecoder().decode(fields.message)) as unknown);
  }
  return (fields.text as { body?: string } | undefined)?.body;
}

function occurrences(contact: FakeContact, body: string): number {
  return contact.transcript.filter((entry) => entry.content === body).length;
}

function unrecorded(invocation: Invocation): number {
  let total = 0;
  for (const [itemId, sends] of invocation.sends)
    total += Math.max(0, sends - (invocation.marks.get(itemId) ?? 0));
  return total;
}

/**
 * Where a message last entered a FIFO queue (a redrive enters it again, as a new message); -1 if
 * it never did.
 */
function lastEntry(queue: SimulatedQueue, matches: (body: string) => boolean): number {
  for (let index = queue.accepted.length - 1; index >= 0; index--) {
    if (matches(queue.accepted[index]?.body ?? '')) return index;
  }
  return -1;
}

/** The Connect item id in a streaming record's body. */
function streamingItemId(body: string): string | undefined {
  try {
    const notification = JSON.parse(body) as { Message?: string };
    return (JSON.parse(notification.Message ?? '{}') as { Id?: string }).Id;
  } catch {
    return undefined;
  }
}

/**
 * How many delivered messages arrived after a message that entered the FIFO group later than
 * they did: each one is a message that overtook an earlier one. Messages not delivered, or that
 * never entered the FIFO queue, are left out.
 */
function inversions(order: readonly { entered: number; arrived: number }[]): number {
  const delivered = order
    .filter((message) => message.entered >= 0 && message.arrived >= 0)
    .sort((a, b) => a.arrived - b.arrived);
  let latestEntered = -1;
  let overtaken = 0;
  for (const message of delivered) {
    if (message.entered < latestEntered) overtaken++;
    latestEntered = Math.max(latestEntered, message.entered);
  }
  return overtaken;
}

function sameConversation(a: ConversationRef, b: ConversationRef): boolean {
  return a.business.phoneNumberId === b.business.phoneNumberId && a.customer === b.customer;
}

function uniqueConversations(conversations: ConversationRef[]): ConversationRef[] {
  const byKey = new Map(conversations.map((c) => [`${c.business.phoneNumberId}#${c.customer}`, c]));
  return [...byKey.values()];
}

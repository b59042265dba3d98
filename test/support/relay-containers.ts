import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { vi } from 'vitest';

export type Handler = (event: SQSEvent) => Promise<SQSBatchResponse>;

/**
 * The four functions of the pipeline: each direction's ordering stage (standard queue → FIFO
 * queue) and its relay (FIFO queue → Connect or WhatsApp).
 */
export type Stage = 'inbound' | 'outbound' | 'inbound-ordering' | 'outbound-ordering';

export const STAGES: readonly Stage[] = ['inbound-ordering', 'inbound', 'outbound-ordering', 'outbound'];

/** The queues the harness gives the ordering stages (their env), as deployed names would look. */
export const PIPELINE_QUEUES = {
  inboundFifo: 'https://sqs.us-east-1.amazonaws.com/111122223333/whatsapp-inbound-ordered.fifo',
  inboundFifoDlq: 'https://sqs.us-east-1.amazonaws.com/111122223333/whatsapp-inbound-ordered-dlq.fifo',
  inboundDlq: 'https://sqs.us-east-1.amazonaws.com/111122223333/whatsapp-inbound-dlq',
  outboundFifo: 'https://sqs.us-east-1.amazonaws.com/111122223333/whatsapp-outbound-ordered.fifo',
  outboundFifoDlq: 'https://sqs.us-east-1.amazonaws.com/111122223333/whatsapp-outbound-ordered-dlq.fifo',
  outboundDlq: 'https://sqs.us-east-1.amazonaws.com/111122223333/whatsapp-outbound-dlq',
} as const;

/**
 * One Lambda container of each function: its own instance of the entry module, so its own
 * SDK clients, conversation cache, connection tokens and metrics buffer. What the containers share
 * is what deployed containers share: the table (the DynamoDB emulator), and Connect and EUM
 * Social (the SDK fakes patch the client classes, which every module instance uses).
 */
export interface RelayContainer extends Readonly<Record<Stage, Handler>> {
  /** Its place in the deployment, for routing; a redeploy reuses the places. */
  readonly index: number;
  /** Which deployment it belongs to (0 = the first; each `redeploy` adds one). */
  readonly generation: number;
  /** Invocations running in it now, per function (Lambda gives a busy container no new invocation). */
  readonly busy: Record<Stage, number>;
}

/** No invocations running, for each function. */
export function idleStages(): Record<Stage, number> {
  return { inbound: 0, outbound: 0, 'inbound-ordering': 0, 'outbound-ordering': 0 };
}

/** Imports an entry module fresh, with `env` set while it reads its configuration. */
async function importFresh(path: string, env: Record<string, string> = {}): Promise<Handler> {
  const previous = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.resetModules();
  try {
    return ((await import(/* @vite-ignore */ path)) as { handler: Handler }).handler;
  } finally {
    for (const [name, value] of Object.entries(previous)) vi.stubEnv(name, value);
  }
}

/**
 * The relays' dead-letter queues are FIFO (behind FIFO queues): each relay imports with its own.
 * Used for container 0 too, whose relay modules the environment imported first.
 */
export const RELAY_DLQ_ENV = {
  inbound: { DEAD_LETTER_QUEUE_URL: PIPELINE_QUEUES.inboundFifoDlq },
  outbound: { DEAD_LETTER_QUEUE_URL: PIPELINE_QUEUES.outboundFifoDlq },
} as const;

/** Cold-starts both ordering stages, each with its own queues, as a new container does. */
export async function coldStartOrderingStages(): Promise<
  Pick<RelayContainer, 'inbound-ordering' | 'outbound-ordering'>
> {
  return {
    'inbound-ordering': await importFresh('../../functions/inbound-ordering/index.js', {
      ORDERED_QUEUE_URL: PIPELINE_QUEUES.inboundFifo,
      DEAD_LETTER_QUEUE_URL: PIPELINE_QUEUES.inboundDlq,
    }),
    'outbound-ordering': await importFresh('../../functions/outbound-ordering/index.js', {
      ORDERED_QUEUE_URL: PIPELINE_QUEUES.outboundFifo,
      DEAD_LETTER_QUEUE_URL: PIPELINE_QUEUES.outboundDlq,
    }),
  };
}

/**
 * Cold-starts one container of each function: fresh imports of the four entry modules, reading
 * the current process.env, as a new container does.
 */
export async function coldStartContainer(index: number, generation: number): Promise<RelayContainer> {
  return {
    index,
    generation,
    inbound: await importFresh('../../functions/inbound/index.js', RELAY_DLQ_ENV.inbound),
    outbound: await importFresh('../../functions/outbound/index.js', RELAY_DLQ_ENV.outbound),
    ...(await coldStartOrderingStages()),
    busy: idleStages(),
  };
}

/**
 * Lambda's routing, as far as a test can rely on it: an idle container first, taking turns; when
 * every container is busy, the next in turn serves anyway (the harness keeps the container count
 * fixed, where Lambda would start another).
 */
export function roundRobin(): (containers: readonly RelayContainer[], queue: Stage) => number {
  const next = idleStages();
  return (containers, queue) => {
    const count = containers.length;
    let chosen = next[queue] % count;
    for (let step = 0; step < count; step++) {
      const index = (next[queue] + step) % count;
      if (containers[index]?.busy[queue] === 0) {
        chosen = index;
        break;
      }
    }
    next[queue] = chosen + 1;
    return chosen;
  };
}

import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { vi } from 'vitest';

export type Handler = (event: SQSEvent) => Promise<SQSBatchResponse>;

/**
 * One Lambda container of each relay function: its own instance of the entry module, so its own
 * SDK clients, conversation cache, connection tokens and metrics buffer. What the containers share
 * is what deployed containers share: the table (the DynamoDB emulator), and Connect and EUM
 * Social (the SDK fakes patch the client classes, which every module instance uses).
 */
export interface RelayContainer {
  /** Its place in the deployment, for routing; a redeploy reuses the places. */
  readonly index: number;
  /** Which deployment it belongs to (0 = the first; each `redeploy` adds one). */
  readonly generation: number;
  readonly inbound: Handler;
  readonly outbound: Handler;
  /** Invocations running in it now, per function (Lambda gives a busy container no new invocation). */
  readonly busy: { inbound: number; outbound: number };
}

/**
 * Cold-starts one container of each function: fresh imports of functions/inbound/index.ts and
 * functions/outbound/index.ts, reading the current process.env, as a new container does.
 */
export async function coldStartContainer(index: number, generation: number): Promise<RelayContainer> {
  vi.resetModules();
  const inbound = await import('../../functions/inbound/index.js');
  vi.resetModules();
  const outbound = await import('../../functions/outbound/index.js');
  return {
    index,
    generation,
    inbound: inbound.handler,
    outbound: outbound.handler,
    busy: { inbound: 0, outbound: 0 },
  };
}

/**
 * Lambda's routing, as far as a test can rely on it: an idle container first, taking turns; when
 * every container is busy, the next in turn serves anyway (the harness keeps the container count
 * fixed, where Lambda would start another).
 */
export function roundRobin(): (
  containers: readonly RelayContainer[],
  queue: 'inbound' | 'outbound',
) => number {
  const next = { inbound: 0, outbound: 0 };
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

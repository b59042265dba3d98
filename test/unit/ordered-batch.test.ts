import { describe, expect, it } from 'vitest';
import {
  type OrderedBatchHooks,
  processOrderedBatch,
  type QueueRecord,
} from '../../shared/batch/ordered-batch.js';
import { MalformedEventError, RetryableError } from '../../shared/domain/errors.js';

/** A work item: conversation key, timestamp, and a label to follow it by. */
interface Item {
  readonly key: string;
  readonly at: number;
  readonly label: string;
}

/** A record whose body is a JSON list of items (or anything else, to be malformed). */
function record(messageId: string, items: Item[] | string): QueueRecord {
  return { messageId, body: typeof items === 'string' ? items : JSON.stringify(items) };
}

const item = (key: string, at: number, label = `${key}${at}`): Item => ({ key, at, label });

function hooks(overrides: Partial<OrderedBatchHooks<Item>> = {}) {
  const processed: string[] = [];
  const failures: string[] = [];
  const skipped: string[] = [];
  const rejected: { messageId: string; reason: string }[] = [];
  const all: OrderedBatchHooks<Item> = {
    concurrency: 4,
    decode: (queued) => {
      const parsed = JSON.parse(queued.body) as unknown;
      if (!Array.isArray(parsed)) throw new MalformedEventError('not a list', 'NotAList');
      return parsed as Item[];
    },
    orderKey: (work) => work.key,
    sortKey: (work) => work.at,
    process: async (work) => {
      processed.push(work.label);
    },
    reject: async (queued, error) => {
      rejected.push({ messageId: queued.messageId, reason: error.reason });
    },
    onItemFailure: (work) => failures.push(work.label),
    onItemSkipped: (work) => skipped.push(work.label),
    ...overrides,
  };
  return { hooks: all, processed, failures, skipped, rejected };
}

describe('processOrderedBatch', () => {
  it('processes each key in timestamp order, whatever order the records arrived in', async () => {
    const { hooks: batchHooks, processed } = hooks({ concurrency: 1 });

    const result = await processOrderedBatch(
      [
        record('r1', [item('a', 3)]),
        record('r2', [item('a', 1), item('b', 5)]),
        record('r3', [item('a', 2)]),
      ],
      batchHooks,
    );

    expect(result.batchItemFailures).toEqual([]);
    expect(processed.filter((label) => label.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(processed).toContain('b5');
  });

  it('keeps arrival order for items with the same timestamp', async () => {
    const { hooks: batchHooks, processed } = hooks();

    await processOrderedBatch(
      [
        record('r1', [item('a', 1, 'first')]),
        record('r2', [item('a', 1, 'second')]),
        record('r3', [item('a', 1, 'third')]),
      ],
      batchHooks,
    );

    expect(processed).toEqual(['first', 'second', 'third']);
  });

  it('runs different keys concurrently, up to the limit, and one key never concurrently', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const inFlightByKey = new Map<string, number>();
    const { hooks: batchHooks } = hooks({
      concurrency: 2,
      process: async (work) => {
        inFlight += 1;
        inFlightByKey.set(work.key, (inFlightByKey.get(work.key) ?? 0) + 1);
        maxInFlight = Math.max(maxInFlight, inFlight);
        expect(inFlightByKey.get(work.key)).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 25));
        inFlightByKey.set(work.key, (inFlightByKey.get(work.key) ?? 0) - 1);
        inFlight -= 1;
      },
    });
    const records = ['a', 'b', 'c', 'd'].flatMap((key) => [
      record(`${key}1`, [item(key, 1)]),
      record(`${key}2`, [item(key, 2)]),
    ]);

    const started = Date.now();
    await processOrderedBatch(records, batchHooks);

    expect(maxInFlight).toBe(2);
    // 8 items of 25 ms, two at a time: about 100 ms, not 200.
    expect(Date.now() - started).toBeLessThan(170);
  });

  it('holds back later items of a failed key only, and reports their records for retry', async () => {
    const {
      hooks: batchHooks,
      processed,
      failures,
      skipped,
    } = hooks({
      process: async (work) => {
        if (work.label === 'a1') throw new RetryableError('throttled', 'Throttling');
        processed.push(work.label);
      },
    });

    const result = await processOrderedBatch(
      [
        record('r1', [item('a', 1)]),
        record('r2', [item('b', 1)]),
        record('r3', [item('a', 2)]),
        record('r4', [item('b', 2)]),
      ],
      batchHooks,
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'r1' }, { itemIdentifier: 'r3' }]);
    expect(processed).toEqual(['b1', 'b2']);
    expect(failures).toEqual(['a1']);
    expect(skipped).toEqual(['a2']);
  });

  it('skips the other items of a record that will be retried whole', async () => {
    // r1 carries items for a and b; a fails first, so b's item from r1 is left for the retry,
    // and b's later item waits behind it.
    const {
      hooks: batchHooks,
      processed,
      skipped,
    } = hooks({
      concurrency: 1,
      process: async (work) => {
        if (work.label === 'a1') throw new Error('boom');
        processed.push(work.label);
      },
    });

    const result = await processOrderedBatch(
      [
        record('r1', [item('a', 1), item('b', 1)]),
        record('r2', [item('b', 2)]),
        record('r3', [item('c', 1)]),
      ],
      batchHooks,
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'r1' }, { itemIdentifier: 'r2' }]);
    expect(processed).toEqual(['c1']);
    expect(skipped).toEqual(['b1', 'b2']);
  });

  it('dead-letters a malformed record through the reject hook, and does not retry it', async () => {
    const { hooks: batchHooks, processed, rejected } = hooks();

    const result = await processOrderedBatch(
      [record('bad', '"not a list"'), record('good', [item('a', 1)])],
      batchHooks,
    );

    expect(result.batchItemFailures).toEqual([]);
    expect(rejected).toEqual([{ messageId: 'bad', reason: 'NotAList' }]);
    expect(processed).toEqual(['a1']);
  });

  it('wraps an unexpected decoder error as DecoderError', async () => {
    const { hooks: batchHooks, rejected } = hooks();

    await processOrderedBatch([record('bad', '{not json')], batchHooks);

    expect(rejected).toEqual([{ messageId: 'bad', reason: 'DecoderError' }]);
  });

  it('retries a malformed record when it cannot be dead-lettered, so nothing is lost', async () => {
    const { hooks: batchHooks, processed } = hooks({
      reject: async () => {
        throw new Error('DLQ unreachable');
      },
    });

    const result = await processOrderedBatch(
      [record('bad', '"x"'), record('good', [item('a', 1)])],
      batchHooks,
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(processed).toEqual(['a1']);
  });

  it('handles an empty batch and a record with no items', async () => {
    const { hooks: batchHooks, processed } = hooks();

    expect(await processOrderedBatch([], batchHooks)).toEqual({ batchItemFailures: [] });
    expect(await processOrderedBatch([record('r1', [])], batchHooks)).toEqual({ batchItemFailures: [] });
    expect(processed).toEqual([]);
  });
});

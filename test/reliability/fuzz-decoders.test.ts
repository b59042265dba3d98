import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { processOrderedBatch } from '../../shared/batch/ordered-batch.js';
import { decodeStreamingRecord } from '../../shared/decoders/connect-streaming-decoder.js';
import { registeredMessageTypes } from '../../shared/decoders/whatsapp/registry.js';
import { decodeWhatsAppWebhook } from '../../shared/decoders/whatsapp-webhook-decoder.js';
import { MalformedEventError } from '../../shared/domain/errors.js';
import { streamingRecord } from '../support/streaming-events.js';
import { eumEnvelope, sqsRecordFor, textMessage } from '../support/whatsapp-events.js';
import { loadMessageFixtures } from '../support/whatsapp-fixtures.js';

/**
 * Decoder fuzzing: generated WhatsApp webhooks and Connect streaming items, then mutated (keys
 * dropped, values replaced with arbitrary JSON, JSON truncated, layers swapped). Every input must
 * either decode (a bad part becoming a `malformed` item with a reason) or be rejected with a
 * MalformedEventError that names a reason; nothing else may escape, and a bad record never stops
 * the rest of its batch. Message types come from the parser registry, payloads from the fixtures.
 */

const SEED = 20261121;
const RUNS_PER_DECODER = 5_000;

// Every registered type, plus names the relay must treat as new: a future type, and names of
// JavaScript built-ins that an object lookup would find on its prototype.
const UNKNOWN_TYPES = ['hologram', 'constructor', '__proto__', 'toString'];
const messageTypes = [...registeredMessageTypes(), ...UNKNOWN_TYPES];

// Each registered type's payload is its fixture's (test/fixtures/whatsapp/<type>.json).
const fixturePayloads = new Map(
  loadMessageFixtures()
    .filter((fixture) => fixture.name === fixture.type)
    .map((fixture) => [fixture.type, fixture.message[fixture.type]]),
);

const whatsAppMessage = fc
  .record({
    type: fc.constantFrom(...messageTypes),
    from: fc.option(fc.stringMatching(/^\d{6,15}$/), { nil: undefined }),
    body: fc.string({ maxLength: 200 }),
    id: fc.string({ minLength: 1, maxLength: 40 }),
    timestamp: fc.oneof(fc.integer({ min: 0, max: 2_000_000_000 }).map(String), fc.string({ maxLength: 5 })),
  })
  .map(({ type, from, body, id, timestamp }) => {
    const payload = type === 'text' ? { body } : (fixturePayloads.get(type) ?? { body });
    return { ...(from ? { from } : {}), id, timestamp, type, [type]: payload };
  });

const validInboundBody = fc
  .record({ messages: fc.array(whatsAppMessage, { minLength: 0, maxLength: 3 }), withStatus: fc.boolean() })
  .map(({ messages, withStatus }) =>
    JSON.stringify(
      JSON.parse(
        sqsRecordFor(
          eumEnvelope({
            messages,
            ...(withStatus ? { statuses: [{ id: 'wamid.s', status: 'delivered', timestamp: '1' }] } : {}),
          }),
        ).body,
      ),
    ),
  );

const validStreamingBody = fc
  .record({
    contentType: fc.constantFrom(
      'text/plain',
      'text/markdown',
      'application/vnd.amazonaws.connect.event.typing',
      'application/vnd.amazonaws.connect.event.chat.ended',
      'application/vnd.amazonaws.connect.message.interactive',
    ),
    content: fc.string({ maxLength: 100 }),
    role: fc.constantFrom('AGENT', 'CUSTOMER', 'SYSTEM', 'CUSTOM_BOT', undefined),
  })
  .map(
    ({ contentType, content, role }) =>
      streamingRecord({ initialContactId: 'contact-1', contentType, content, ...(role ? { role } : {}) })
        .body,
  );

/** Mutations applied to any JSON value, at any depth, including the JSON strings nested inside. */
function mutate(body: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(body),
    fc.integer({ min: 0, max: Math.max(0, body.length - 1) }).map((cut) => body.slice(0, cut)),
    fc
      .tuple(fc.nat(), fc.anything())
      .map(([choice, replacement]) => replaceSomewhere(body, choice, replacement)),
    fc.nat().map((choice) => replaceSomewhere(body, choice, undefined)),
    fc.string().map((garbage) => garbage),
    fc.anything().map((value) => JSON.stringify(value) ?? 'null'),
  );
}

/** Replaces (or, with undefined, deletes) one node of the JSON tree, descending into JSON strings. */
function replaceSomewhere(body: string, choice: number, replacement: unknown): string {
  const root = JSON.parse(body) as unknown;
  const nodes: { parent: Record<string, unknown>; key: string; rewrap?: () => void }[] = [];
  const walk = (value: unknown, rewrap?: () => void) => {
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      nodes.push({ parent: value as Record<string, unknown>, key, ...(rewrap ? { rewrap } : {}) });
      if (typeof child === 'string' && /^[[{]/.test(child)) {
        try {
          const inner = JSON.parse(child) as unknown;
          const holder = value as Record<string, unknown>;
          walk(inner, () => {
            holder[key] = JSON.stringify(inner);
            rewrap?.();
          });
        } catch {
          // not JSON after all
        }
      } else {
        walk(child, rewrap);
      }
    }
  };
  walk(root);
  const target = nodes[choice % Math.max(1, nodes.length)];
  if (target) {
    if (replacement === undefined) delete target.parent[target.key];
    else target.parent[target.key] = replacement;
    target.rewrap?.();
  }
  return JSON.stringify(root);
}

function acceptedOrRejectedWithReason(decode: () => unknown): 'accepted' | 'rejected' {
  try {
    const decoded = decode() as { items?: readonly { kind: string; reason?: unknown }[] } | undefined;
    // A malformed part of an accepted record names its reason as a rejected record does.
    for (const item of decoded?.items ?? []) {
      if (item.kind === 'malformed') expect(item.reason).toMatch(/^[A-Za-z]+$/);
    }
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedEventError);
    expect((error as MalformedEventError).reason).toMatch(/^[A-Za-z]+$/);
    return 'rejected';
  }
}

describe('decoder fuzzing (fast-check, fixed seed)', () => {
  it(`decodes or rejects with a reason ${RUNS_PER_DECODER} mutated WhatsApp webhooks`, () => {
    const tally = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(validInboundBody.chain(mutate), (body) => {
        tally[acceptedOrRejectedWithReason(() => decodeWhatsAppWebhook(body))] += 1;
      }),
      { seed: SEED, numRuns: RUNS_PER_DECODER },
    );
    console.info(
      `inbound decoder: ${tally.accepted} accepted, ${tally.rejected} rejected with a reason, 0 unhandled`,
    );
    expect(tally.accepted).toBeGreaterThan(RUNS_PER_DECODER / 10);
    expect(tally.rejected).toBeGreaterThan(RUNS_PER_DECODER / 10);
  });

  it(`decodes or rejects with a reason ${RUNS_PER_DECODER} mutated Connect streaming items`, () => {
    const tally = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(validStreamingBody.chain(mutate), (body) => {
        tally[acceptedOrRejectedWithReason(() => decodeStreamingRecord(body))] += 1;
      }),
      { seed: SEED + 1, numRuns: RUNS_PER_DECODER },
    );
    console.info(
      `streaming decoder: ${tally.accepted} accepted, ${tally.rejected} rejected with a reason, 0 unhandled`,
    );
    expect(tally.accepted).toBeGreaterThan(RUNS_PER_DECODER / 10);
    expect(tally.rejected).toBeGreaterThan(RUNS_PER_DECODER / 10);
  });

  it('never lets a bad record block the good records of its batch', async () => {
    const good = sqsRecordFor(
      eumEnvelope({ messages: [textMessage({ from: '447700900001', body: 'good' })] }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(validInboundBody.chain(mutate), { minLength: 1, maxLength: 9 }),
        async (bodies) => {
          const records = [...bodies.map((body, index) => ({ messageId: `fuzz-${index}`, body })), good];
          const processed: string[] = [];
          const rejected: string[] = [];
          const response = await processOrderedBatch(records, {
            concurrency: 4,
            decode: (record) =>
              decodeWhatsAppWebhook(record.body).items.map((item) => ({ item, record: record.messageId })),
            orderKey: (work) => work.record,
            sortKey: () => 0,
            process: async (work) => {
              processed.push(work.record);
            },
            reject: async (record) => {
              rejected.push(record.messageId);
            },
            onItemFailure: () => undefined,
          });
          expect(response.batchItemFailures).toEqual([]);
          expect(processed).toContain(good.messageId);
          // Every record is accounted for: processed (possibly with no items) or rejected.
          for (const record of records) {
            const accounted =
              processed.includes(record.messageId) ||
              rejected.includes(record.messageId) ||
              decodesToNothing(record.body);
            expect(accounted).toBe(true);
          }
        },
      ),
      { seed: SEED + 2, numRuns: 300 },
    );
  });
});

function decodesToNothing(body: string): boolean {
  try {
    return decodeWhatsAppWebhook(body).items.length === 0;
  } catch {
    return false;
  }
}

import { CreateParticipantCommand } from '@aws-sdk/client-connect';
import { SendWhatsAppMessageCommand } from '@aws-sdk/client-socialmessaging';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckGroup } from '../../doctor/checklist.js';
import { LIVE_TEST_DEFAULTS, type LiveTestOptions } from '../../doctor/live-test/ports.js';
import { runLiveTest } from '../../doctor/live-test/run-live-test.js';
import { targetOf } from '../../doctor/target.js';
import { maskPhoneNumber } from '../../shared/domain/masking.js';
import { type FakeLiveWorld, installFakeAws } from '../support/fake-aws-doctor.js';
import { deployedConfig, healthyDeployment } from '../support/fake-deployment.js';

const TEST_PHONE = '+447700900123';
const START = Date.parse('2026-11-28T10:00:00Z');

let fake: ReturnType<typeof installFakeAws> | undefined;
afterEach(() => {
  fake?.restore();
  fake = undefined;
});

/** Virtual time: sleeping moves it on at once. */
function virtualClock() {
  let now = START;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

/**
 * The builder at the terminal and on the test phone: answers the consent question, and replies
 * "ok" on the phone `replyAfterMs` after being asked (never when undefined), which makes the relay
 * start a chat (a contact of the test phone).
 */
function builderOnThePhone(
  world: FakeLiveWorld,
  clock: { now(): number },
  answers: { consent: boolean; sawMessage?: boolean; replyAfterMs?: number },
) {
  const questions: string[] = [];
  const told: string[] = [];
  const builder = {
    confirm: async (question: string) => {
      questions.push(question);
      return questions.length === 1 ? answers.consent : (answers.sawMessage ?? false);
    },
    tell: (message: string) => {
      told.push(message);
      if (message.includes('reply "ok"') && answers.replyAfterMs !== undefined) {
        world.chats.push({
          contactId: 'chat-of-the-test',
          phone: TEST_PHONE,
          initiatedAt: clock.now() + answers.replyAfterMs,
        });
      }
    },
  };
  return { builder, questions, told };
}

function liveOptions(overrides: Partial<LiveTestOptions> = {}): LiveTestOptions {
  return {
    testNumber: TEST_PHONE,
    template: { name: 'hello_world', language: 'en_US' },
    yes: false,
    ...LIVE_TEST_DEFAULTS,
    ...overrides,
  };
}

async function liveTest(
  world: Omit<FakeLiveWorld, 'now' | 'chats' | 'sentTemplates'> & { chats?: FakeLiveWorld['chats'] },
  answers: { consent: boolean; sawMessage?: boolean; replyAfterMs?: number },
  options: LiveTestOptions = liveOptions(),
) {
  const clock = virtualClock();
  const live: FakeLiveWorld = { chats: [], sentTemplates: [], ...world, now: clock.now };
  fake = installFakeAws(healthyDeployment(), live);
  const person = builderOnThePhone(live, clock, answers);
  const group: CheckGroup = await runLiveTest(
    { clients: fake.clients, builder: person.builder, clock },
    targetOf(deployedConfig(), 'config/relay.json'),
    options,
  );
  return { group, live, clock, ...person };
}

describe('npm run doctor --live-test', () => {
  it('sends the template, finds the reply as a chat, and times each hop to the agent-side message delivered', async () => {
    // Act
    const { group, live, questions } = await liveTest(
      { receiptAfterMs: 2_500 },
      { consent: true, replyAfterMs: 42_000 },
    );

    // Assess
    expect(questions[0]).toContain('hello_world');
    expect(live.sentTemplates).toEqual([
      expect.objectContaining({
        to: TEST_PHONE,
        type: 'template',
        template: expect.objectContaining({ name: 'hello_world', language: { code: 'en_US' } }),
      }),
    ]);
    expect(group.lines).toEqual([
      expect.objectContaining({
        status: 'pass',
        title: 'Hop 1: EUM Social accepted the template hello_world',
      }),
      expect.objectContaining({
        status: 'pass',
        title: 'Hop 2: the reply reached Connect as a chat',
        detail: expect.stringContaining('42.0 s after you were asked'),
      }),
      expect.objectContaining({
        status: 'pass',
        title: 'Hop 3: an agent-side message reached WhatsApp',
        detail: 'delivered 2.5 s after it was sent',
      }),
    ]);
    expect(fake?.commandsSent()).toContain(CreateParticipantCommand.name);
  });

  it('stops waiting for the chat after the bound when the reply never comes, and says where to look', async () => {
    // Act
    const { group, clock } = await liveTest({ receiptAfterMs: 1_000 }, { consent: true });

    // Assess
    expect(group.lines.at(-1)).toEqual(
      expect.objectContaining({
        status: 'fail',
        title: 'Hop 2: the reply reached Connect as a chat',
        problem: `no chat of ${maskPhoneNumber(TEST_PHONE)} appeared within 300.0 s`,
        fix: expect.stringContaining('event destination and the inbound DLQs'),
      }),
    );
    expect(clock.now() - START).toBeGreaterThanOrEqual(LIVE_TEST_DEFAULTS.chatWaitMs);
    expect(clock.now() - START).toBeLessThan(LIVE_TEST_DEFAULTS.chatWaitMs + LIVE_TEST_DEFAULTS.pollMs * 2);
    expect(fake?.commandsSent()).not.toContain(CreateParticipantCommand.name);
  });

  it('sends nothing without the builder’s consent', async () => {
    // Act
    const { group, live } = await liveTest({}, { consent: false, replyAfterMs: 1_000 });

    // Assess
    expect(group.lines).toEqual([
      expect.objectContaining({
        status: 'fail',
        title: 'The live test ran',
        fix: expect.stringContaining('--yes'),
      }),
    ]);
    expect(live.sentTemplates).toEqual([]);
    expect(fake?.commandsSent()).not.toContain(SendWhatsAppMessageCommand.name);
  });

  it('asks nothing with --yes', async () => {
    // Act
    const { group, questions } = await liveTest(
      { receiptAfterMs: 0 },
      { consent: false, replyAfterMs: 1_000 },
      liveOptions({ yes: true }),
    );

    // Assess
    expect(questions).toEqual([]);
    expect(group.lines.every((line) => line.status === 'pass')).toBe(true);
  });

  it('refuses to start while a chat of the test phone is still open, since the reply would join it', async () => {
    // Act
    const { group, live } = await liveTest(
      { chats: [{ contactId: 'yesterdays-chat', phone: TEST_PHONE, initiatedAt: START - 3_600_000 }] },
      { consent: true, replyAfterMs: 1_000 },
    );

    // Assess
    expect(group.lines).toEqual([
      expect.objectContaining({
        status: 'fail',
        fix: expect.stringContaining(
          'aws connect stop-contact --instance-id a1b2c3d4-5678-90ab-cdef-111122223333 --contact-id yesterdays-chat',
        ),
      }),
    ]);
    expect(live.sentTemplates).toEqual([]);
  });

  it('is not held back by a chat of the test phone that already ended', async () => {
    // Act
    const { group } = await liveTest(
      {
        receiptAfterMs: 1_000,
        chats: [
          {
            contactId: 'yesterdays-chat',
            phone: TEST_PHONE,
            initiatedAt: START - 3_600_000,
            disconnectedAt: START - 3_000_000,
          },
        ],
      },
      { consent: true, replyAfterMs: 1_000 },
    );

    // Assess
    expect(group.lines.map((line) => line.status)).toEqual(['pass', 'pass', 'pass']);
    expect(group.lines[1]).toEqual(
      expect.objectContaining({ detail: expect.stringContaining('contact chat-of-the-test') }),
    );
  });

  it('reports the agent-side message undelivered when no receipt comes and the builder did not see it', async () => {
    // Act
    const { group } = await liveTest({}, { consent: true, replyAfterMs: 5_000, sawMessage: false });

    // Assess
    expect(group.lines.at(-1)).toEqual(
      expect.objectContaining({
        status: 'fail',
        title: 'Hop 3: an agent-side message reached WhatsApp',
        problem: 'no delivery receipt within 120.0 s',
      }),
    );
  });

  it('takes the builder’s word when the message arrived but no receipt reached Connect', async () => {
    // Act
    const { group, questions } = await liveTest({}, { consent: true, replyAfterMs: 5_000, sawMessage: true });

    // Assess
    expect(questions.at(-1)).toContain('Relay doctor: this is the agent-side test message');
    expect(group.lines.at(-1)).toEqual(
      expect.objectContaining({ status: 'pass', detail: expect.stringContaining('you saw it') }),
    );
  });

  it('refuses a test number that is not E.164 before asking anything', async () => {
    // Act
    const { group, questions } = await liveTest(
      {},
      { consent: true },
      liveOptions({ testNumber: '07700 900123' }),
    );

    // Assess
    expect(questions).toEqual([]);
    expect(group.lines).toEqual([
      expect.objectContaining({ status: 'fail', title: 'The test phone number is valid' }),
    ]);
  });
});

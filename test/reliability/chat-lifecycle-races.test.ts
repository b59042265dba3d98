import { afterEach, describe, expect, it } from 'vitest';
import { INBOUND_FLOW_ID, SECOND_FLOW_ID } from '../support/inbound-environment.js';
import { ReliabilityRun } from '../support/reliability-harness.js';
import { suiteSeed } from '../support/seeded-random.js';
import { streamingRecord } from '../support/streaming-events.js';
import { BUSINESS, SECOND_BUSINESS } from '../support/whatsapp-events.js';

/**
 * Suite 4: chat lifecycle races, through the same queues and real handlers.
 * (a) A customer writes while Connect ends the chat and chat.ended is being relayed.
 * (b) The connection token expires while several customer messages and receipts are in flight.
 * (c) One customer talks to two business numbers at once.
 */

const QUEUE = { visibilityTimeoutMs: 180_000, maxReceiveCount: 5, batchSize: 2, concurrency: 4 } as const;
const CHAT_ENDED = 'application/vnd.amazonaws.connect.event.chat.ended';

describe('reliability: chat lifecycle races', () => {
  let run: ReliabilityRun;

  afterEach(async () => {
    await run?.stop();
  });

  it('delivers a message sent while the chat ends exactly once, into the old chat or a persistent new one', async () => {
    const seed = suiteSeed(7_401);
    // Every point of the racing message's processing, then seeded ones.
    const endPoints = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const trials = endPoints.length + 4;
    run = await ReliabilityRun.start({ seed, queue: QUEUE });
    const outcomes = { oldChat: 0, newChat: 0 };
    const byEndPoint: string[] = [];

    for (let trial = 1; trial <= trials; trial++) {
      const conversation = run.conversation(`55119740${String(trial).padStart(4, '0')}`);
      run.deliver([{ queue: 'inbound', body: run.customerMessage(conversation, `trial ${trial}: hello`) }]);
      await run.settle();
      const old = run.contactOf(conversation);
      // Connect ends the chat before the racing message is read (0) or just before its k-th AWS
      // call (DynamoDB or Connect); chat.ended is streamed once the chat is over.
      const endAt = endPoints[trial - 1] ?? run.random.integer(0, 9);
      if (trial > endPoints.length) endPoints.push(endAt);
      let ended = false;
      const endChat = () => {
        if (ended) return;
        ended = true;
        run.env.connect.endChat(old.contactId);
        run.deliver([
          {
            queue: 'outbound',
            body: streamingRecord({
              initialContactId: old.contactId,
              contentType: CHAT_ENDED,
              id: `ended-${trial}`,
            }).body,
          },
        ]);
      };
      run.faults = (call) => {
        if (
          call.phase === 'before' &&
          call.invocation?.queue === 'inbound' &&
          call.invocation.calls === endAt
        ) {
          endChat();
        }
        return undefined;
      };
      if (endAt === 0) endChat();
      run.deliver([
        { queue: 'inbound', body: run.customerMessage(conversation, `trial ${trial}: are you there?`) },
      ]);
      await run.settle();
      endChat();
      await run.settle();
      run.faults = () => undefined;
      // The conversation must be usable afterwards: the next message lands once, in a live chat.
      run.deliver([{ queue: 'inbound', body: run.customerMessage(conversation, `trial ${trial}: thanks`) }]);
      await run.settle();

      const contacts = run.contactsOf(conversation);
      const racing = contacts.filter((contact) =>
        contact.transcript.some((entry) => entry.content === `trial ${trial}: are you there?`),
      );
      expect(racing, `trial ${trial}`).toHaveLength(1);
      byEndPoint.push(`${endAt}→${racing[0] === old ? 'old' : 'new'}`);
      if (racing[0] === old) outcomes.oldChat++;
      else {
        outcomes.newChat++;
        expect(racing[0]?.input.PersistentChat?.SourceContactId).toBe(old.contactId);
      }
      expect(contacts.filter((contact) => contact.state === 'active')).toHaveLength(1);
      const live = contacts.find((contact) => contact.state === 'active');
      expect(live?.transcript.map((entry) => entry.content)).toContain(`trial ${trial}: thanks`);
      expect(contacts.length).toBeLessThanOrEqual(2);
    }

    const figures = run.figures();
    run.report(`chat ended while a message was in flight (${trials} trials)`, figures, {
      'ended before call': `${byEndPoint.join(' ')} (→ chat the racing message went to)`,
      'racing message went to': `old chat ${outcomes.oldChat}, new persistent chat ${outcomes.newChat}`,
      ChatEndedDetected: run.output.metric('ChatEndedDetected'),
      ChatEndedByConnect: run.output.metric('ChatEndedByConnect'),
    });
    expect(figures.inbound).toEqual({
      expected: 3 * trials,
      delivered: 3 * trials,
      duplicates: 0,
      stray: 0,
    });
    expect(figures.deadLettered).toEqual({ redrive: 0, rejected: 0 });
    // Both sides of the race happened, or the trials proved less than they claim.
    expect(outcomes.oldChat).toBeGreaterThan(0);
    expect(outcomes.newChat).toBeGreaterThan(0);
  });

  it('keeps one chat and delivers everything once when the connection token expires mid-burst', async () => {
    const seed = suiteSeed(7_402);
    run = await ReliabilityRun.start({ seed, queue: QUEUE });
    const conversation = run.conversation('5511974100001');
    run.deliver([{ queue: 'inbound', body: run.customerMessage(conversation, 'hello') }]);
    await run.settle();
    // The agent answers; WhatsApp's statuses for those answers come back during the burst.
    run.holdStatuses = true;
    run.deliver(
      Array.from({ length: 3 }, (_, index) => ({
        queue: 'outbound' as const,
        body: run.agentMessage(conversation, `agent answer ${index + 1}`),
      })),
    );
    await run.settle();
    const { contactId } = run.contactOf(conversation);
    // Connect stops honouring every connection token twice, while messages are being sent.
    let sends = 0;
    run.faults = (call) => {
      if (call.operation === 'SendMessage' && call.phase === 'before' && [2, 6].includes(++sends)) {
        run.env.connect.expireConnections(contactId);
      }
      return undefined;
    };
    run.deliver([
      ...Array.from({ length: 10 }, (_, index) => ({
        queue: 'inbound' as const,
        body: run.customerMessage(conversation, `burst message ${index + 1}`),
      })),
      ...run.heldStatuses.map((body) => ({ queue: 'inbound' as const, body })),
    ]);
    await run.settle();

    const figures = run.figures();
    const refreshed = run.output.metric('ConnectionRefreshed');
    run.report('connection token expired twice mid-burst', figures, {
      ConnectionRefreshed: refreshed,
      ChatEndedDetected: run.output.metric('ChatEndedDetected'),
      CreateParticipantConnection: run.env.connect.callCount('CreateParticipantConnection'),
    });
    expect(figures.inbound).toEqual({ expected: 11, delivered: 11, duplicates: 0, stray: 0 });
    expect(figures.receipts).toEqual({ expected: 6, delivered: 6, duplicates: 0, stray: 0 });
    expect(run.contactsOf(conversation)).toHaveLength(1);
    expect(run.env.connect.callCount('StartChatContact')).toBe(1);
    expect(refreshed).toBeGreaterThanOrEqual(2);
    // An expired token is never mistaken for an ended chat.
    expect(run.output.metric('ChatEndedDetected')).toBe(0);
    expect(figures.deadLettered).toEqual({ redrive: 0, rejected: 0 });
  });

  it('keeps two business numbers talking to the same customer apart', async () => {
    const seed = suiteSeed(7_403);
    run = await ReliabilityRun.start({ seed, queue: QUEUE, statusCopies: 2 });
    const customer = '5511974200001';
    const first = run.conversation(customer, BUSINESS);
    const second = run.conversation(customer, SECOND_BUSINESS);
    const says = (conversation: typeof first, texts: string[]) =>
      texts.map((text) => ({ queue: 'inbound' as const, body: run.customerMessage(conversation, text) }));

    // Both conversations open at once, each message delivered twice.
    run.deliver(
      [
        ...says(first, ['to sales: hi', 'to sales: my order']),
        ...says(second, ['to support: hi', 'to support: it broke']),
      ],
      2,
    );
    await run.settle();
    run.deliver(
      [
        ...['sales here', 'sales: order shipped'].map((text) => ({
          queue: 'outbound' as const,
          body: run.agentMessage(first, text),
        })),
        ...['support here', 'support: try a restart'].map((text) => ({
          queue: 'outbound' as const,
          body: run.agentMessage(second, text),
        })),
        ...says(first, ['to sales: thanks']),
        ...says(second, ['to support: it works']),
      ],
      2,
    );
    await run.settle();

    const figures = run.figures();
    const [firstChat] = run.contactsOf(first);
    const [secondChat] = run.contactsOf(second);
    run.report('one customer, two business numbers', figures, {
      chats: `${firstChat?.contactId} (flow ${firstChat?.input.ContactFlowId}), ${secondChat?.contactId} (flow ${secondChat?.input.ContactFlowId})`,
    });
    expect(figures.conversations).toBe(2);
    expect(figures.maxChatsPerConversation).toBe(1);
    expect(firstChat?.contactId).not.toBe(secondChat?.contactId);
    expect(firstChat?.input.ContactFlowId).toBe(INBOUND_FLOW_ID);
    expect(secondChat?.input.ContactFlowId).toBe(SECOND_FLOW_ID);
    expect(firstChat?.transcript.map((entry) => entry.content)).toEqual(
      expect.arrayContaining(['to sales: hi', 'to sales: my order', 'to sales: thanks']),
    );
    // stray counts anything that reached the other number's chat; misrouted, a reply sent from the
    // wrong number.
    expect(figures.inbound).toEqual({ expected: 6, delivered: 6, duplicates: 0, stray: 0 });
    expect(figures.outbound).toEqual({ expected: 4, delivered: 4, duplicates: 0, stray: 0, misrouted: 0 });
    expect(figures.receipts).toEqual({ expected: 8, delivered: 8, duplicates: 0, stray: 0 });
    const fromNumber = (text: string) =>
      run.env.whatsApp.sent.find(
        (sent) => (sent.payload.text as { body?: string } | undefined)?.body === text,
      )?.originationPhoneNumberId;
    expect(fromNumber('sales: order shipped')).toBe(BUSINESS.phoneNumberId);
    expect(fromNumber('support: try a restart')).toBe(SECOND_BUSINESS.phoneNumberId);
    expect(figures.deadLettered).toEqual({ redrive: 0, rejected: 0 });
  });
});

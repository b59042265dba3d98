import { afterEach, describe, expect, it } from 'vitest';
import { NOTICE_PREFIX } from '../../shared/domain/agent-notices.js';
import type { FakeContact } from '../support/fake-connect.js';
import { INBOUND_FLOW_ID, SECOND_FLOW_ID } from '../support/inbound-environment.js';
import { type ConversationRef, ReliabilityRun } from '../support/reliability-harness.js';
import { suiteSeed } from '../support/seeded-random.js';
import { streamingRecord } from '../support/streaming-events.js';
import { BUSINESS, SECOND_BUSINESS } from '../support/whatsapp-events.js';

/**
 * Chat lifecycle across several Lambda containers (issue "Relay correctness on the real services"):
 * each container has its own conversation cache and connection tokens, the table and Connect are
 * shared. Each test is a situation a contact centre has met or would meet, and asserts what its
 * people would notice: messages lost, relayed twice, in the wrong chat, or chats per conversation.
 */

/** Production queue settings: 180 s visibility, DLQ after 5 receives (time is virtual). */
const QUEUE = { visibilityTimeoutMs: 180_000, maxReceiveCount: 5, batchSize: 10, concurrency: 2 } as const;
const CHAT_ENDED = 'application/vnd.amazonaws.connect.event.chat.ended';
/** A flow id the Connect instance does not have (a typo in the relay configuration). */
const WRONG_FLOW_ID = 'f0f0f0f0-0000-1111-2222-333344445555';

describe('reliability: chat lifecycle across several containers', () => {
  let run: ReliabilityRun;

  afterEach(async () => {
    await run?.stop();
  });

  /** The relay's BUSINESS_NUMBERS with the first number's inbound flow set to `flowId`. */
  function businessNumbers(flowId: string): string {
    return JSON.stringify([
      { phoneNumberId: BUSINESS.phoneNumberId, inboundFlowId: flowId },
      { phoneNumberId: SECOND_BUSINESS.phoneNumberId, inboundFlowId: SECOND_FLOW_ID },
    ]);
  }

  /** Connect streams chat.ended once the chat is over. */
  function chatEnded(contactId: string): string {
    return streamingRecord({ initialContactId: contactId, contentType: CHAT_ENDED, id: `ended-${contactId}` })
      .body;
  }

  /** Relay notices in a chat (lines only the agent reads). */
  function noticesIn(contact: FakeContact | undefined): string[] {
    return (contact?.transcript ?? [])
      .map((entry) => entry.content)
      .filter((content) => content.startsWith(NOTICE_PREFIX));
  }

  /** The customer's opening message, relayed, and the chat it started. */
  async function openChat(conversation: ConversationRef, text = 'Hello, I need some help'): Promise<string> {
    run.deliver([{ queue: 'inbound', body: run.customerMessage(conversation, text) }]);
    await run.settle();
    return run.contactOf(conversation).contactId;
  }

  it.each(['ResourceNotFoundException', 'InvalidParameterException', 'AccessDeniedException'] as const)(
    'a customer wedged by a refused chat start (%s) gets a chat in the corrected flow once the config is fixed and redeployed, and the redriven message joins it',
    async (refusal) => {
      // Prepare: the first number's inbound flow id is wrong, so Connect refuses every start.
      run = await ReliabilityRun.start({
        seed: suiteSeed(8_501),
        queue: QUEUE,
        containers: 2,
        env: { BUSINESS_NUMBERS: businessNumbers(WRONG_FLOW_ID), CHAT_START_WAIT_MS: '300' },
        connect: { contactFlows: { known: [INBOUND_FLOW_ID, SECOND_FLOW_ID], refusal } },
      });
      const conversation = run.conversation('5511976100001');
      run.deliver([
        { queue: 'inbound', body: run.customerMessage(conversation, 'My card was charged twice') },
      ]);
      await run.settle();
      const deadBeforeFix = run.deadLettersWaiting();
      const chatsBeforeFix = run.contactsOf(conversation).length;

      // Act: the operator corrects the flow and redeploys (new containers read the new config); the
      // customer writes again; then the operator redrives the DLQ.
      await run.redeploy({ BUSINESS_NUMBERS: businessNumbers(INBOUND_FLOW_ID) });
      run.deliver([{ queue: 'inbound', body: run.customerMessage(conversation, 'Hello? Anyone there?') }]);
      await run.settle();
      const redriven = run.redriveDeadLetters();
      await run.settle();

      // Assess
      const figures = run.figures();
      const chats = run.contactsOf(conversation);
      run.report(`refused chat start (${refusal}), fixed and redeployed`, figures, {
        'DLQ before the fix': deadBeforeFix,
        redriven,
        'DLQ after redrive': run.deadLettersWaiting(),
        'chat flows': chats.map((chat) => chat.input.ContactFlowId).join(', ') || 'no chat',
        StartChatContact: run.env.connect.callCount('StartChatContact'),
      });
      expect(chatsBeforeFix).toBe(0);
      expect(deadBeforeFix).toBe(1);
      expect(figures.inbound).toEqual({ expected: 2, delivered: 2, duplicates: 0, stray: 0 });
      expect(chats).toHaveLength(1);
      expect(chats[0]?.input.ContactFlowId).toBe(INBOUND_FLOW_ID);
      expect(run.deadLettersWaiting()).toBe(0);
    },
  );

  it("delivers an agent's reply streamed while the new chat's contact lookup write is still failing", async () => {
    // Prepare: every SDK attempt of the first contact lookup write fails (a DynamoDB brownout).
    run = await ReliabilityRun.start({
      seed: suiteSeed(8_502),
      queue: QUEUE,
      containers: 2,
      env: { CHAT_START_WAIT_MS: '300' },
    });
    const conversation = run.conversation('5511976200001');
    let lost = 0;
    run.faults = (call) => {
      const lookupWrite =
        call.service === 'dynamodb' &&
        call.operation === 'PutItem' &&
        call.phase === 'before' &&
        call.key.startsWith('contact#');
      if (!lookupWrite || lost >= 3) return undefined;
      lost++;
      return 'server-error';
    };
    // The agent answers as soon as the chat reaches them: while StartContactStreaming (beside the
    // lookup write) is in flight, the reply is streamed and the outbound function handles it.
    let replied = false;
    run.gate = async (call) => {
      if (replied || call.operation !== 'StartContactStreaming') return;
      replied = true;
      run.deliver([
        { queue: 'outbound', body: run.agentMessage(conversation, 'Hi, Jane here. How can I help?') },
      ]);
      await run.outboundQuiet();
    };

    // Act
    run.deliver([
      { queue: 'inbound', body: run.customerMessage(conversation, 'Hello, is my order shipped?') },
    ]);
    await run.settle();

    // Assess
    const figures = run.figures();
    run.report('agent reply while the contact lookup write fails', figures, {
      OutboundUnknownContact: run.output.metric('OutboundUnknownContact'),
      WindowClosedBlocked: run.output.metric('WindowClosedBlocked'),
    });
    expect(figures.injected).toEqual({ 'dynamodb.PutItem.server-error': 3 });
    expect(figures.inbound).toEqual({ expected: 1, delivered: 1, duplicates: 0, stray: 0 });
    expect(figures.outbound).toEqual({ expected: 1, delivered: 1, duplicates: 0, stray: 0, misrouted: 0 });
    expect(noticesIn(run.contactOf(conversation))).toEqual([]);
    expect(figures.deadLettered).toEqual({ redrive: 0, rejected: 0 });
  });

  it('sends the flow\'s "Connecting you…" message streamed during the chat start to the customer, with no template notice to the agent', async () => {
    // Prepare: the flow's Send message block runs as soon as the chat starts; Connect streams its
    // text before the relay has connected the customer and activated the conversation.
    run = await ReliabilityRun.start({ seed: suiteSeed(8_503), queue: QUEUE, containers: 2 });
    const conversation = run.conversation('5511976300001');
    let streamed = false;
    run.gate = async (call) => {
      if (
        streamed ||
        call.operation !== 'CreateParticipantConnection' ||
        call.invocation?.queue !== 'inbound'
      )
        return;
      streamed = true;
      run.deliver([
        {
          queue: 'outbound',
          body: run.flowMessage(conversation, 'Thanks for your message. Connecting you…'),
        },
      ]);
      await run.outboundQuiet();
    };

    // Act
    run.deliver([
      { queue: 'inbound', body: run.customerMessage(conversation, 'Hi, I need to move my booking') },
    ]);
    await run.settle();

    // Assess
    const figures = run.figures();
    const notices = noticesIn(run.contactOf(conversation));
    run.report('flow message during the chat start', figures, {
      WindowClosedBlocked: run.output.metric('WindowClosedBlocked'),
      'notices to the agent': notices.length,
    });
    expect(figures.inbound).toEqual({ expected: 1, delivered: 1, duplicates: 0, stray: 0 });
    expect(figures.outbound).toEqual({ expected: 1, delivered: 1, duplicates: 0, stray: 0, misrouted: 0 });
    expect(notices).toEqual([]);
    expect(figures.deadLettered).toEqual({ redrive: 0, rejected: 0 });
  });

  it("does not relay a duplicate again, into a brand-new chat, when another container's cache still holds the ended chat", async () => {
    // Prepare: container Y serves the customer's first two messages and keeps chat C1 cached as
    // active; container X relays M into C1; the agent ends C1 and the relay records it.
    const X = 0;
    const Y = 1;
    run = await ReliabilityRun.start({ seed: suiteSeed(8_504), queue: QUEUE, containers: 2 });
    const inboundOn = (container: number) => {
      run.route = (_containers, queue) => (queue === 'inbound' ? container : 0);
    };
    const conversation = run.conversation('5511976400001');
    inboundOn(Y);
    const c1 = await openChat(conversation);
    run.deliver([
      { queue: 'inbound', body: run.customerMessage(conversation, 'I want a new delivery address') },
    ]);
    await run.settle();
    inboundOn(X);
    const m = run.customerMessage(conversation, 'The new address is 12 Rua Augusta');
    run.deliver([{ queue: 'inbound', body: m }]);
    await run.settle();
    run.env.connect.endChat(c1);
    run.deliver([{ queue: 'outbound', body: chatEnded(c1) }]);
    await run.settle();

    // Act: SNS delivers M a second time: a new SQS message (receive count 1, seconds old), to Y.
    inboundOn(Y);
    run.deliver([{ queue: 'inbound', body: m }]);
    await run.settle();

    // Assess
    const figures = run.figures();
    const chats = run.contactsOf(conversation);
    run.report('duplicate after the chat ended, stale cache in another container', figures, {
      chats: chats.map((chat) => `${chat.contactId}: ${chat.transcript.length} message(s)`).join(', '),
      DuplicatesSkipped: run.output.metric('DuplicatesSkipped'),
      ChatsStarted: run.output.metric('ChatsStarted'),
    });
    expect(figures.inbound).toEqual({ expected: 3, delivered: 3, duplicates: 0, stray: 0 });
    expect(chats).toHaveLength(1);
    expect(figures.deadLettered).toEqual({ redrive: 0, rejected: 0 });
  });

  it.each([
    { connectToEndedChats: true, refuses: 'the message only' },
    { connectToEndedChats: false, refuses: 'the connection' },
  ])(
    'delivers a message into a new persistent chat when the ended chat refuses $refuses',
    async ({ connectToEndedChats }) => {
      // Prepare: the agent ends the chat; chat.ended has not reached the relay yet, so the table
      // (and every cache) still says active. Whether CreateParticipantConnection still succeeds on an
      // ended chat is UNCONFIRMED: both answers are run.
      run = await ReliabilityRun.start({
        seed: suiteSeed(8_505),
        queue: QUEUE,
        containers: 2,
        connect: { connectToEndedChats },
      });
      const conversation = run.conversation('5511976500001');
      const c1 = await openChat(conversation);
      run.env.connect.endChat(c1);

      // Act
      run.deliver([
        { queue: 'inbound', body: run.customerMessage(conversation, 'One more thing: can I pay by card?') },
      ]);
      await run.settle();
      run.deliver([{ queue: 'outbound', body: chatEnded(c1) }]);
      await run.settle();

      // Assess
      const figures = run.figures();
      const chats = run.contactsOf(conversation);
      run.report(
        `chat ended, CreateParticipantConnection ${connectToEndedChats ? 'succeeds' : 'refused'}`,
        figures,
        {
          'chats (persistent from)': chats
            .map((chat) => `${chat.contactId} (${chat.input.PersistentChat?.SourceContactId ?? '-'})`)
            .join(', '),
          ChatEndedDetected: run.output.metric('ChatEndedDetected'),
          RelayFailures: run.output.metric('RelayFailures'),
        },
      );
      expect(figures.inbound).toEqual({ expected: 2, delivered: 2, duplicates: 0, stray: 0 });
      expect(chats).toHaveLength(2);
      expect(chats[1]?.input.PersistentChat?.SourceContactId).toBe(c1);
      expect(figures.deadLettered).toEqual({ redrive: 0, rejected: 0 });
    },
  );

  it("starts the next chat with the ended chat's history when Connect refuses rehydration for the first 45 seconds", async () => {
    // Prepare: "Only chat sessions that have ended are allowed to rehydrate … wait 30-60 seconds".
    run = await ReliabilityRun.start({
      seed: suiteSeed(8_506),
      queue: QUEUE,
      containers: 2,
      connect: { rehydrationDelayMs: 45_000 },
    });
    const conversation = run.conversation('5511976600001');
    const c1 = await openChat(conversation);
    run.env.connect.endChat(c1);
    run.deliver([{ queue: 'outbound', body: chatEnded(c1) }]);
    await run.settle();

    // Act: the customer writes again straight away.
    run.deliver([{ queue: 'inbound', body: run.customerMessage(conversation, 'Sorry, I forgot to ask') }]);
    await run.settle();

    // Assess
    const figures = run.figures();
    const chats = run.contactsOf(conversation);
    run.report('rehydration refused for 45 s after the end', figures, {
      'chats (persistent from)': chats
        .map((chat) => `${chat.contactId} (${chat.input.PersistentChat?.SourceContactId ?? '-'})`)
        .join(', '),
      StartChatContact: run.env.connect.callCount('StartChatContact'),
    });
    expect(figures.inbound).toEqual({ expected: 2, delivered: 2, duplicates: 0, stray: 0 });
    expect(chats).toHaveLength(2);
    expect(chats[1]?.input.PersistentChat?.SourceContactId).toBe(c1);
    expect(figures.deadLettered).toEqual({ redrive: 0, rejected: 0 });
  });

  it('starts a fresh chat, and tells the agent the history could not be attached, when rehydration keeps failing', async () => {
    // Prepare: Connect never accepts the ended chat as a persistent source.
    run = await ReliabilityRun.start({
      seed: suiteSeed(8_507),
      queue: QUEUE,
      containers: 2,
      connect: { rehydrationDelayMs: Number.POSITIVE_INFINITY },
    });
    const conversation = run.conversation('5511976700001');
    const c1 = await openChat(conversation);
    run.env.connect.endChat(c1);
    run.deliver([{ queue: 'outbound', body: chatEnded(c1) }]);
    await run.settle();

    // Act
    run.deliver([
      { queue: 'inbound', body: run.customerMessage(conversation, 'Back again, about my refund') },
    ]);
    await run.settle();

    // Assess
    const figures = run.figures();
    const chats = run.contactsOf(conversation);
    const notices = noticesIn(chats[1]);
    run.report('rehydration never accepted', figures, {
      'notices in the new chat': notices.length,
      StartChatContact: run.env.connect.callCount('StartChatContact'),
    });
    expect(figures.inbound).toEqual({ expected: 2, delivered: 2, duplicates: 0, stray: 0 });
    expect(chats).toHaveLength(2);
    expect(chats[1]?.input.PersistentChat).toBeUndefined();
    expect(notices.some((notice) => /history/i.test(notice))).toBe(true);
    expect(figures.deadLettered).toEqual({ redrive: 0, rejected: 0 });
  });
});

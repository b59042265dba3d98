import { AccessDeniedException, StartChatContactCommand } from '@aws-sdk/client-connect';
import { afterEach, describe, expect, it } from 'vitest';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import { AGENT_ID } from '../support/connect-lambda-events.js';
import type { FakeConnectOptions } from '../support/fake-connect.js';
import { INBOUND_FLOW_ID } from '../support/inbound-environment.js';
import { type RelayEnvironment, startRelayEnvironment } from '../support/relay-environment.js';
import { streamingRecord } from '../support/streaming-events.js';
import { BUSINESS, eumEnvelope, sqsEvent, sqsRecordFor, textMessage } from '../support/whatsapp-events.js';

/**
 * Issue 10, item 8: a returning customer reaches the agent who last handled them first. The
 * outbound relay records who joined (DescribeContact's AgentInfo.Id on the contact the agent
 * joined), and the next chat carries it as `preferredAgentId` while the number's setting allows.
 */

const CUSTOMER = '447700900123';
const KEY = { businessPhoneNumberId: BUSINESS.phoneNumberId, customerId: CUSTOMER };
const SECOND_AGENT = '9e8d7c6b-aaaa-bbbb-cccc-ddddeeeeffff';
const HOUR = 3_600_000;
const JOINED = 'application/vnd.amazonaws.connect.event.participant.joined';
const ENDED = 'application/vnd.amazonaws.connect.event.chat.ended';

function numbers(preferredAgent?: { enabled: boolean; hours: number }) {
  return JSON.stringify([
    {
      phoneNumberId: BUSINESS.phoneNumberId,
      inboundFlowId: INBOUND_FLOW_ID,
      ...(preferredAgent ? { preferredAgent } : {}),
    },
  ]);
}

describe('a returning customer reaches their last agent first', () => {
  let env: RelayEnvironment;
  let output: CapturedOutput;

  async function start(
    preferredAgent?: { enabled: boolean; hours: number },
    options: { env?: Record<string, string>; connect?: FakeConnectOptions } = {},
  ) {
    env = await startRelayEnvironment({
      env: { BUSINESS_NUMBERS: numbers(preferredAgent), ...options.env },
      ...(options.connect ? { connect: options.connect } : {}),
    });
    output = captureOutput();
  }

  afterEach(async () => {
    output.restore();
    await env.stop();
  });

  /** The customer writes; returns the contact of the chat that message is in. */
  async function customerWrites(body: string): Promise<string> {
    const message = textMessage({ from: CUSTOMER, body });
    const response = await env.handler(sqsEvent(sqsRecordFor(eumEnvelope({ messages: [message] }))));
    expect(response.batchItemFailures).toEqual([]);
    const contact = [...env.connect.contacts.values()].at(-1);
    if (!contact) throw new Error('no chat started');
    return contact.contactId;
  }

  /** An agent accepts the chat and Connect streams their participant.joined, `hoursAgo` hours ago. */
  async function agentJoins(contactId: string, agentId: string, hoursAgo: number, role = 'AGENT' as const) {
    env.connect.agentAccepts(contactId, agentId);
    const response = await env.outbound(
      sqsEvent(
        streamingRecord({
          initialContactId: contactId,
          contentType: JOINED,
          role,
          absoluteTime: new Date(Date.now() - hoursAgo * HOUR),
        }),
      ),
    );
    expect(response.batchItemFailures).toEqual([]);
  }

  async function chatEnds(contactId: string) {
    env.connect.endChat(contactId);
    await env.outbound(sqsEvent(streamingRecord({ initialContactId: contactId, contentType: ENDED })));
  }

  function lastStartAttributes() {
    return env.connect.connectMock.commandCalls(StartChatContactCommand).at(-1)?.args[0].input.Attributes;
  }

  it('puts the agent who handled yesterday’s chat on the next chat as preferredAgentId', async () => {
    // Prepare
    await start({ enabled: true, hours: 48 });
    const yesterday = await customerWrites('My parcel has not arrived');
    await agentJoins(yesterday, AGENT_ID, 20);
    await chatEnds(yesterday);

    // Act
    const today = await customerWrites('It came, but the box was damaged');

    // Assess
    expect(today).not.toBe(yesterday);
    expect(lastStartAttributes()).toMatchObject({ preferredAgentId: AGENT_ID, customerId: CUSTOMER });
    expect(lastStartAttributes()?.initiatingAgentId).toBeUndefined();
    expect((await env.store.get(KEY))?.lastAgent).toMatchObject({ agentId: AGENT_ID, contactId: yesterday });
  });

  it('routes normally once the configured hours have passed', async () => {
    // Prepare
    await start({ enabled: true, hours: 12 });
    const earlier = await customerWrites('Hello');
    await agentJoins(earlier, AGENT_ID, 13);
    await chatEnds(earlier);

    // Act
    await customerWrites('Hello again');

    // Assess
    expect(lastStartAttributes()?.preferredAgentId).toBeUndefined();
  });

  it('routes normally when the number has the preference turned off, though the agent is still recorded', async () => {
    // Prepare
    await start({ enabled: false, hours: 48 });
    const earlier = await customerWrites('Hello');
    await agentJoins(earlier, AGENT_ID, 2);
    await chatEnds(earlier);

    // Act
    await customerWrites('Hello again');

    // Assess
    expect(lastStartAttributes()?.preferredAgentId).toBeUndefined();
    expect((await env.store.get(KEY))?.lastAgent?.agentId).toBe(AGENT_ID);
  });

  it('routes normally for a number with no preferred-agent setting', async () => {
    // Prepare
    await start();
    const earlier = await customerWrites('Hello');
    await agentJoins(earlier, AGENT_ID, 2);
    await chatEnds(earlier);

    // Act
    await customerWrites('Hello again');

    // Assess
    expect(lastStartAttributes()?.preferredAgentId).toBeUndefined();
  });

  it('lets an agent who sent a template since win over the last agent', async () => {
    // Prepare
    await start({ enabled: true, hours: 48 });
    const earlier = await customerWrites('Hello');
    await agentJoins(earlier, AGENT_ID, 5);
    await chatEnds(earlier);
    await env.store.recordAgentInitiation(KEY, {
      agentId: SECOND_AGENT,
      templateName: 'order_update',
      at: Date.now(),
    });

    // Act
    await customerWrites('Answering your template');

    // Assess
    expect(lastStartAttributes()).toMatchObject({ initiatingAgentId: SECOND_AGENT });
    expect(lastStartAttributes()?.preferredAgentId).toBeUndefined();
  });

  it('keeps the newer agent when a participant.joined from an older chat arrives late', async () => {
    // Prepare: yesterday's chat with the first agent, today's with the second.
    await start({ enabled: true, hours: 48 });
    const yesterday = await customerWrites('Hello');
    await chatEnds(yesterday);
    const today = await customerWrites('Hello again');
    await agentJoins(today, SECOND_AGENT, 1);
    await chatEnds(today);

    // Act: yesterday's join is delivered only now.
    await agentJoins(yesterday, AGENT_ID, 20);
    await customerWrites('One more thing');

    // Assess
    expect((await env.store.get(KEY))?.lastAgent).toMatchObject({ agentId: SECOND_AGENT, contactId: today });
    expect(lastStartAttributes()?.preferredAgentId).toBe(SECOND_AGENT);
  });

  it.each([
    ['a bot', 'CUSTOM_BOT'],
    ['the flow (system)', 'SYSTEM'],
    ['the customer', 'CUSTOMER'],
    ['a supervisor', 'SUPERVISOR'],
  ] as const)('records nothing when %s joins', async (_, role) => {
    // Prepare
    await start({ enabled: true, hours: 48 });
    const earlier = await customerWrites('Hello');

    // Act
    await agentJoins(earlier, AGENT_ID, 1, role as 'AGENT');
    await chatEnds(earlier);
    await customerWrites('Hello again');

    // Assess
    expect((await env.store.get(KEY))?.lastAgent).toBeUndefined();
    expect(lastStartAttributes()?.preferredAgentId).toBeUndefined();
  });

  it('records nothing, and still relays the chat, when Connect names no agent on the contact', async () => {
    // Prepare: no agent accepted the contact as far as DescribeContact says.
    await start({ enabled: true, hours: 48 });
    const earlier = await customerWrites('Hello');

    // Act
    const response = await env.outbound(
      sqsEvent(streamingRecord({ initialContactId: earlier, contentType: JOINED, role: 'AGENT' })),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await env.store.get(KEY))?.lastAgent).toBeUndefined();
    expect(output.metric('LastAgentNotRecorded', { Reason: 'NoAgentOnContact' })).toBe(1);
  });

  it('still greets the customer when Connect will not say who joined, and records nothing', async () => {
    // Prepare: DescribeContact refused (a missing permission, say), and a greeting configured.
    const refused = new AccessDeniedException({
      message: 'not authorized',
      $metadata: { httpStatusCode: 403 },
    });
    await start(
      { enabled: true, hours: 48 },
      {
        env: { AGENT_JOINED_MESSAGE: 'You are now chatting with {name}' },
        connect: { faults: (operation) => (operation === 'DescribeContact' ? refused : undefined) },
      },
    );
    const earlier = await customerWrites('Hello');

    // Act
    await agentJoins(earlier, AGENT_ID, 0);

    // Assess
    expect(env.whatsApp.messagesTo(`+${CUSTOMER}`)).toEqual([
      expect.objectContaining({ text: expect.objectContaining({ body: 'You are now chatting with Jane' }) }),
    ]);
    expect((await env.store.get(KEY))?.lastAgent).toBeUndefined();
    expect(output.metric('LastAgentNotRecorded', { Reason: 'DescribeContactFailed' })).toBe(1);
  });

  it('asks Connect about the contact the agent joined after a transfer, not the first one', async () => {
    // Prepare: the chat was transferred; the second agent joined contact-transferred.
    await start({ enabled: true, hours: 48 });
    const first = await customerWrites('Hello');
    env.connect.agentAccepts(first, AGENT_ID);
    env.connect.agentAccepts('contact-transferred', SECOND_AGENT);

    // Act
    await env.outbound(
      sqsEvent(
        streamingRecord({
          initialContactId: first,
          contactId: 'contact-transferred',
          contentType: JOINED,
          role: 'AGENT',
        }),
      ),
    );

    // Assess
    expect((await env.store.get(KEY))?.lastAgent).toMatchObject({
      agentId: SECOND_AGENT,
      contactId: 'contact-transferred',
    });
  });
});

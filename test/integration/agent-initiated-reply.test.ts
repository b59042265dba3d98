import { StartChatContactCommand } from '@aws-sdk/client-connect';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_INITIATION_WINDOW_MS } from '../../shared/domain/agent-initiation.js';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import { AGENT_ID } from '../support/connect-lambda-events.js';
import { type InboundEnvironment, startInboundEnvironment } from '../support/inbound-environment.js';
import { BUSINESS, eumEnvelope, sqsEvent, sqsRecordFor, textMessage } from '../support/whatsapp-events.js';

const CUSTOMER = '447700900123';
const key = { businessPhoneNumberId: BUSINESS.phoneNumberId, customerId: CUSTOMER };

function reply(body: string) {
  return sqsEvent(sqsRecordFor(eumEnvelope({ messages: [textMessage({ from: CUSTOMER, body })] })));
}

function startAttributes(env: InboundEnvironment, index: number) {
  return env.connect.connectMock.commandCalls(StartChatContactCommand)[index]?.args[0].input.Attributes;
}

describe('a reply to an agent-initiated template comes back to that agent', () => {
  let env: InboundEnvironment;
  let output: CapturedOutput;

  beforeEach(async () => {
    env = await startInboundEnvironment();
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    await env.stop();
  });

  it('starts the chat with initiatingAgentId when the customer never wrote before the template', async () => {
    // The send-template function created the conversation: no chat has ever existed for it.
    await env.store.recordAgentInitiation(key, {
      agentId: AGENT_ID,
      templateName: 'order_update',
      at: Date.now(),
    });

    const response = await env.handler(reply('Yes, please deliver on Friday'));

    expect(response.batchItemFailures).toEqual([]);
    expect(env.connect.callCount('StartChatContact')).toBe(1);
    expect(startAttributes(env, 0)).toMatchObject({ initiatingAgentId: AGENT_ID, customerId: CUSTOMER });
    const [contact] = [...env.connect.contacts.values()];
    expect(env.connect.transcript(contact?.contactId ?? '')).toEqual(['Yes, please deliver on Friday']);
    expect(await env.store.get(key)).toMatchObject({
      chat: { state: 'active' },
      initiatedBy: { agentId: AGENT_ID },
    });
  });

  it('carries the agent into a persistent chat when the earlier chat had ended', async () => {
    await env.handler(reply('first conversation'));
    const [first] = [...env.connect.contacts.values()];
    env.connect.endChat(first?.contactId ?? '');
    await env.store.recordAgentInitiation(key, {
      agentId: AGENT_ID,
      templateName: 'order_update',
      at: Date.now(),
    });

    await env.handler(reply('answering your template'));

    expect(env.connect.callCount('StartChatContact')).toBe(2);
    expect(startAttributes(env, 0)?.initiatingAgentId).toBeUndefined();
    expect(startAttributes(env, 1)?.initiatingAgentId).toBe(AGENT_ID);
    const second = [...env.connect.contacts.values()][1];
    expect(second?.input.PersistentChat?.SourceContactId).toBe(first?.contactId);
  });

  it('routes normally once the initiation is older than the recency window', async () => {
    const tooOld = Date.now() - AGENT_INITIATION_WINDOW_MS - 60_000;
    await env.store.recordAgentInitiation(key, {
      agentId: AGENT_ID,
      templateName: 'order_update',
      at: tooOld,
    });

    await env.handler(reply('sorry for the late answer'));

    expect(env.connect.callCount('StartChatContact')).toBe(1);
    expect(startAttributes(env, 0)?.initiatingAgentId).toBeUndefined();
  });

  it('routes normally when the sender of the template was unknown', async () => {
    await env.store.recordAgentInitiation(key, {
      agentId: AGENT_ID,
      templateName: 'order_update',
      at: Date.now(),
    });
    await env.store.recordAgentInitiation(key, { templateName: 'welcome_back', at: Date.now() });

    await env.handler(reply('hello'));

    expect(startAttributes(env, 0)?.initiatingAgentId).toBeUndefined();
  });

  it('records an initiation on a live chat without disturbing it', async () => {
    await env.handler(reply('chat already open'));
    const before = await env.store.get(key);

    await env.store.recordAgentInitiation(key, {
      agentId: AGENT_ID,
      templateName: 'order_update',
      at: Date.now(),
    });
    await env.handler(reply('and another message'));

    const after = await env.store.get(key);
    expect(after).toMatchObject({
      chat: { state: 'active', contactId: before?.chat.state === 'active' ? before.chat.contactId : 'none' },
      initiatedBy: { agentId: AGENT_ID },
    });
    expect(env.connect.callCount('StartChatContact')).toBe(1);
  });
});

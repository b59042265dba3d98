import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationTable } from '../../shared/adapters/dynamodb/conversation-table.js';
import { DynamoDbCustomerKeys } from '../../shared/adapters/dynamodb/dynamodb-customer-keys.js';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import {
  AGENT_ID,
  CUSTOMER_CONTACT_ID,
  connectLambdaEvent,
  GUIDE_CONTACT_ID,
} from '../support/connect-lambda-events.js';
import { SENDER_PHONE_NUMBER_ID } from '../support/fake-eum.js';
import { formFields, submittedViews } from '../support/guide-answers.js';
import {
  CONVERSATIONS_TABLE,
  startTemplateEnvironment,
  type TemplateEnvironment,
} from '../support/template-environment.js';

/** The guide's send block as the flow calls it: no customer or agent attributes of its own. */
function send(whatsAppNumber: string, templateKey = 'welcome_back:en_US') {
  return connectLambdaEvent({
    mode: 'send',
    templateKey,
    customerId: '',
    customerName: '',
    views: submittedViews({ whatsAppNumber }),
  });
}

/** Who a reply from `waId` (and `userId`) is routed to: the inbound relay's own key lookup. */
async function replyConversation(env: TemplateEnvironment, customer: { waId?: string; userId?: string }) {
  const table = new ConversationTable(env.emulator.client, {
    tableName: CONVERSATIONS_TABLE,
    conversationTtlDays: 30,
    ledgerTtlDays: 8,
    now: Date.now,
  });
  const key = await new DynamoDbCustomerKeys(table).keyFor(SENDER_PHONE_NUMBER_ID, customer);
  return env.conversations.get(key);
}

describe('the guide finds its customer and agent through the customer chat it was opened on', () => {
  let env: TemplateEnvironment;
  let output: CapturedOutput;

  beforeEach(async () => {
    env = await startTemplateEnvironment();
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    await env.stop();
  });

  it('pre-fills the customer from the related WhatsApp chat when the guide contact has no attributes', async () => {
    env.contacts.add({ id: GUIDE_CONTACT_ID, relatedContactId: CUSTOMER_CONTACT_ID });
    env.contacts.add({
      id: CUSTOMER_CONTACT_ID,
      agentId: AGENT_ID,
      attributes: { customerId: '447700900123', customerPhoneNumber: '+447700900123' },
    });

    const chosen = await env.customerData(connectLambdaEvent({ step: 'choose' }));
    const filled = await env.customerData(
      connectLambdaEvent({ step: 'form', templateKey: 'welcome_back:en_US' }),
    );

    expect(chosen).toMatchObject({ customerId: 'C-1002', customerName: 'Sam Taylor', customerNotice: '' });
    expect(formFields(filled).whatsAppNumber?.DefaultValue).toBe('+447700900123');
  });

  it('asks the agent to type the number, and says why, when the guide was opened from a workspace page', async () => {
    env.contacts.add({ id: GUIDE_CONTACT_ID });

    const chosen = await env.customerData(connectLambdaEvent({ step: 'choose' }));

    expect(chosen.customerNotice).toContain('No customer chat is linked to this guide');
    expect(chosen.customerNotice).toContain('type the WhatsApp number on the next step');
  });
});

describe('send-template answers before the flow stops waiting', () => {
  let env: TemplateEnvironment;
  let output: CapturedOutput;

  beforeEach(async () => {
    env = await startTemplateEnvironment();
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    await env.stop();
  });

  it('does not start a send it could not finish before the flow gives up, and says nothing was sent', async () => {
    // Prepare: the Lambda has 2 s left, less than a send may take.
    const almostOut = { getRemainingTimeInMillis: () => 2_000 };

    // Act
    const result = await env.sendTemplate(send('+447700900123'), almostOut);

    // Assess
    expect(result.outcome).toBe('RETRY');
    expect(result.formMessage).toContain('Nothing was sent');
    expect(env.eum.calls('Send')).toBe(0);
  });

  it('says "not confirmed" only when the send timed out and may have gone out', async () => {
    env.eum.sendFailures.push(Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }));

    const result = await env.sendTemplate(send('+447700900123'));

    expect(result.outcome).toBe('UNCONFIRMED');
    expect(result.formMessage).toContain('Send not confirmed');
    expect(result.formMessage).toContain('Check the customer’s WhatsApp chat before sending again');
    expect(output.metric('TemplateSendUnconfirmed')).toBe(1);
  });
});

describe('a reply is matched to the agent’s template under the number as Meta sees it', () => {
  let env: TemplateEnvironment;
  let output: CapturedOutput;

  beforeEach(async () => {
    env = await startTemplateEnvironment();
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    await env.stop();
  });

  it('routes a Brazilian reply without the ninth digit to the agent who sent to the nine-digit number', async () => {
    env.contacts.add({ id: GUIDE_CONTACT_ID, relatedContactId: CUSTOMER_CONTACT_ID });
    env.contacts.add({ id: CUSTOMER_CONTACT_ID, agentId: AGENT_ID });

    await env.sendTemplate(send('+55 11 98765-4321'));

    // Meta's wa_id for an account registered before the ninth digit, with the customer's BSUID.
    const reply = await replyConversation(env, { waId: '551187654321', userId: 'BR.1234567890' });
    expect(reply?.initiatedBy).toMatchObject({ agentId: AGENT_ID, templateName: 'welcome_back' });
  });

  it('routes a reply with the ninth digit to the agent who typed the old eight-digit number', async () => {
    env.contacts.add({ id: GUIDE_CONTACT_ID, relatedContactId: CUSTOMER_CONTACT_ID });
    env.contacts.add({ id: CUSTOMER_CONTACT_ID, agentId: AGENT_ID });

    await env.sendTemplate(send('+55 21 8765-4321'));

    const reply = await replyConversation(env, { waId: '5521987654321' });
    expect(reply?.initiatedBy?.agentId).toBe(AGENT_ID);
  });

  it('records the template on the BSUID conversation of the chat the guide was opened on', async () => {
    env.contacts.add({ id: GUIDE_CONTACT_ID, relatedContactId: CUSTOMER_CONTACT_ID });
    env.contacts.add({
      id: CUSTOMER_CONTACT_ID,
      agentId: AGENT_ID,
      attributes: {
        customerId: 'GB.555',
        customerPhoneNumber: '+447700900123',
        customerWhatsAppUserId: 'GB.555',
      },
    });

    await env.sendTemplate(send('+447700900123'));

    // The number is later hidden: the reply carries the BSUID only.
    const reply = await replyConversation(env, { userId: 'GB.555' });
    expect(reply?.initiatedBy?.agentId).toBe(AGENT_ID);
  });
});

describe('values the agent types', () => {
  it('refuses a value starting with "$.", which a view would read as a reference to flow data', async () => {
    const env = await startTemplateEnvironment();
    const output = captureOutput();
    try {
      const result = await env.sendTemplate(
        connectLambdaEvent({
          mode: 'send',
          templateKey: 'appointment_reminder:en_US',
          views: submittedViews({ whatsAppNumber: '+447700900123', param1: '$.Attributes.customerId' }),
        }),
      );

      expect(result.outcome).toBe('INVALID');
      expect(result.formMessage).toContain('cannot start with “$.”');
      expect(env.eum.calls('Send')).toBe(0);
      // What the agent typed is shown back escaped: the re-shown form never hands Connect a "$." value.
      expect(formFields(result).param1?.DefaultValue).toBe('＄.Attributes.customerId');
    } finally {
      output.restore();
      await env.stop();
    }
  });
});

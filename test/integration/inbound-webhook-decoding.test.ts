import { SendMessageCommand as SqsSendMessageCommand } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOTICE_PREFIX } from '../../shared/domain/agent-notices.js';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import { DLQ_URL, type InboundEnvironment, startInboundEnvironment } from '../support/inbound-environment.js';
import {
  BUSINESS,
  changeMetadata,
  eumEnvelope,
  sqsEvent,
  sqsRecordFor,
  textMessage,
  wamid,
  webhookChange,
} from '../support/whatsapp-events.js';

/**
 * What reaches the agent, and what is acknowledged or dead-lettered, for the webhook shapes the
 * relay meets on the real services: message types with awkward names, a malformed item among good
 * ones, webhook fields that are not customer messages, and customer text that imitates the relay.
 */

const CUSTOMER = '447700900123';
const now = () => Math.floor(Date.now() / 1000);

function messageOf(type: string, payload: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { from: CUSTOMER, id: wamid(), timestamp: String(now()), type, ...payload, ...extra };
}

describe('inbound relay: decoding what WhatsApp really sends', () => {
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

  /** The agent's view of the (single) chat. */
  function transcript(): readonly string[] {
    const [contact] = [...env.connect.contacts.values()];
    return contact ? env.connect.transcript(contact.contactId) : [];
  }

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'tells the agent a message of the unknown type "%s" could not be shown, instead of relaying nothing',
    async (type) => {
      // Prepare
      const record = sqsRecordFor(eumEnvelope({ messages: [messageOf(type, { [type]: { x: 1 } })] }));

      // Act
      const response = await env.handler(sqsEvent(record));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(transcript()).toEqual([expect.stringContaining(`could not show here (${type})`)]);
    },
  );

  it('relays the good text of a webhook and dead-letters only for its malformed sibling, with the reason', async () => {
    // Prepare
    const good = textMessage({ from: CUSTOMER, body: 'the good one' });
    const noId = { from: CUSTOMER, timestamp: String(now()), type: 'text', text: { body: 'no id' } };
    const record = sqsRecordFor(eumEnvelope({ messages: [good, noId] }));

    // Act
    const response = await env.handler(sqsEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(transcript()).toEqual(['the good one']);
    expect(env.sqs).toHaveReceivedCommandTimes(SqsSendMessageCommand, 1);
    expect(env.sqs).toHaveReceivedCommandWith(SqsSendMessageCommand, {
      QueueUrl: DLQ_URL,
      MessageBody: record.body,
      MessageAttributes: expect.objectContaining({
        RejectReason: { DataType: 'String', StringValue: 'MessageInvalid' },
      }),
    });
    expect(output.metric('MalformedItems', { Reason: 'MessageInvalid' })).toBe(1);
  });

  it('relays nothing twice when the dead-lettered record of a malformed sibling is redriven', async () => {
    // Prepare
    const good = textMessage({ from: CUSTOMER, body: 'only once' });
    const bad = { from: CUSTOMER, id: wamid(), type: 'text', text: { body: 'no timestamp' } };
    const envelope = eumEnvelope({ messages: [good, bad] });
    await env.handler(sqsEvent(sqsRecordFor(envelope)));

    // Act
    const redriven = await env.handler(sqsEvent(sqsRecordFor(envelope, { receiveCount: 1 })));

    // Assess
    expect(redriven.batchItemFailures).toEqual([]);
    expect(transcript()).toEqual(['only once']);
    expect(output.metric('MalformedItems', { Reason: 'MessageInvalid' })).toBe(2);
  });

  it('acknowledges a template status update whose envelope names no phone numbers (WABA-level)', async () => {
    // Prepare
    const record = sqsRecordFor(
      eumEnvelope({
        omitPhoneNumberIds: true,
        changes: [
          webhookChange('message_template_status_update', {
            event: 'APPROVED',
            message_template_id: 1689556908129832,
            message_template_name: 'order_update',
            message_template_language: 'en_US',
            reason: 'NONE',
          }),
        ],
      }),
    );

    // Act
    const response = await env.handler(sqsEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(env.sqs).toHaveReceivedCommandTimes(SqsSendMessageCommand, 0);
    expect(env.connect.callCount('StartChatContact')).toBe(0);
    expect(output.metric('WebhookFields', { Field: 'message_template_status_update' })).toBe(1);
  });

  const otherFields: readonly [string, unknown][] = [
    ['account_update', { event: 'ACCOUNT_VIOLATION', violation_info: { violation_type: 'ADULT' } }],
    [
      'phone_number_quality_update',
      {
        display_phone_number: BUSINESS.displayPhoneNumber,
        event: 'THROUGHPUT_UPGRADE',
        current_limit: 'TIER_UNLIMITED',
        max_daily_conversations_per_business: 'TIER_UNLIMITED',
      },
    ],
    [
      'user_preferences',
      {
        messaging_product: 'whatsapp',
        metadata: changeMetadata(),
        contacts: [{ profile: { name: 'Ana Souza' }, wa_id: CUSTOMER }],
        user_preferences: [
          {
            wa_id: CUSTOMER,
            detail: 'User requested to stop marketing messages',
            category: 'marketing_messages',
            value: 'stop',
            timestamp: now(),
          },
        ],
      },
    ],
    [
      'smb_message_echoes',
      {
        messaging_product: 'whatsapp',
        metadata: changeMetadata(),
        message_echoes: [
          {
            from: BUSINESS.displayPhoneNumber,
            to: CUSTOMER,
            id: wamid(),
            timestamp: String(now()),
            type: 'text',
            text: { body: 'Sent from the Business app' },
          },
        ],
      },
    ],
    [
      'history',
      {
        messaging_product: 'whatsapp',
        metadata: changeMetadata(),
        history: [
          {
            metadata: { phase: 0, chunk_order: 1, progress: 100 },
            threads: [
              {
                id: CUSTOMER,
                messages: [
                  {
                    from: CUSTOMER,
                    id: wamid(),
                    timestamp: String(now() - 86_400),
                    type: 'text',
                    text: { body: 'An old message' },
                    history_context: { status: 'READ' },
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  ];

  it.each(otherFields)(
    'acknowledges and counts the %s webhook, relaying nothing to an agent',
    async (field, value) => {
      // Prepare
      const record = sqsRecordFor(eumEnvelope({ changes: [webhookChange(field, value)] }));

      // Act
      const response = await env.handler(sqsEvent(record));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(env.sqs).toHaveReceivedCommandTimes(SqsSendMessageCommand, 0);
      expect(env.connect.callCount('StartChatContact')).toBe(0);
      expect(env.connect.callCount('SendMessage')).toBe(0);
      expect(output.metric('WebhookFields', { Field: field })).toBe(1);
    },
  );

  it('counts a customer stopping marketing messages by category and choice', async () => {
    // Prepare
    const [, value] = otherFields.find(([field]) => field === 'user_preferences') ?? [];
    const record = sqsRecordFor(eumEnvelope({ changes: [webhookChange('user_preferences', value)] }));

    // Act
    await env.handler(sqsEvent(record));

    // Assess
    expect(output.metric('UserPreferences', { Category: 'marketing_messages', Value: 'stop' })).toBe(1);
  });

  it('counts phone number quality and account updates by field and event, for on-call', async () => {
    // Prepare
    const changes = otherFields
      .filter(([field]) => field === 'phone_number_quality_update' || field === 'account_update')
      .map(([field, value]) => webhookChange(field, value));
    const record = sqsRecordFor(eumEnvelope({ changes }));

    // Act
    await env.handler(sqsEvent(record));

    // Assess
    expect(
      output.metric('AccountEvents', { Field: 'phone_number_quality_update', Event: 'THROUGHPUT_UPGRADE' }),
    ).toBe(1);
    expect(output.metric('AccountEvents', { Field: 'account_update', Event: 'ACCOUNT_VIOLATION' })).toBe(1);
  });

  const forgeries: readonly [string, string][] = [
    ['word for word', `${NOTICE_PREFIX} Identity verified. You may share the account balance.`],
    ['after leading spaces', `   ${NOTICE_PREFIX} Identity verified.`],
    [
      'with zero-width characters hidden inside',
      '\u200b⚠\u200d [Whats\u200bApp relay\u2060 notice — not from the customer] Identity verified.',
    ],
    ['after a line break, mid-text', `Thanks!\n${NOTICE_PREFIX} Identity verified.`],
    [
      'with the emoji form of the sign',
      '⚠️ [WhatsApp relay notice — not from the customer] Payment received.',
    ],
  ];

  it.each(forgeries)(
    'shows a customer’s imitation of a relay notice (%s) visibly as the customer’s words',
    async (_how, forged) => {
      // Prepare
      const record = sqsRecordFor(eumEnvelope({ messages: [textMessage({ from: CUSTOMER, body: forged })] }));

      // Act
      await env.handler(sqsEvent(record));

      // Assess
      const [shown] = transcript();
      const visible = (shown ?? '').replace(/\p{Cf}/gu, '');
      expect(visible).not.toContain('[WhatsApp relay notice');
      expect(visible.split('\n').some((line) => line.trimStart().startsWith('⚠'))).toBe(false);
      const customerWords = forged.slice(forged.indexOf(']') + 2);
      expect(visible).toContain(customerWords);
      expect(visible).toMatch(/customer typed/);
    },
  );

  it('sends a button reply as just the button’s title, as a flow or bot expects', async () => {
    // Prepare
    const reply = messageOf(
      'interactive',
      { interactive: { type: 'button_reply', button_reply: { id: 'confirm-yes', title: 'Yes, confirm' } } },
      { context: { from: BUSINESS.displayPhoneNumber, id: wamid() } },
    );

    // Act
    await env.handler(sqsEvent(sqsRecordFor(eumEnvelope({ messages: [reply] }))));

    // Assess
    expect(transcript()).toEqual(['Yes, confirm']);
  });

  it('sends a list reply as just the row’s title, without its description', async () => {
    // Prepare
    const reply = messageOf(
      'interactive',
      {
        interactive: {
          type: 'list_reply',
          list_reply: { id: 'refund', title: 'Refund', description: 'Money back to your card' },
        },
      },
      { context: { from: BUSINESS.displayPhoneNumber, id: wamid() } },
    );

    // Act
    await env.handler(sqsEvent(sqsRecordFor(eumEnvelope({ messages: [reply] }))));

    // Assess
    expect(transcript()).toEqual(['Refund']);
  });

  it('shows a flow form reply as readable answers, without the flow token', async () => {
    // Prepare
    const response = {
      flow_token: 'flow-token-7f3a9c',
      screen_0_Full_name_0: 'Ana Souza',
      appointment_date: '2026-12-01',
      toppings: ['cheese', 'ham'],
      address: { city: 'Lisbon', postcode: '1000-001' },
    };
    const reply = messageOf('interactive', {
      interactive: {
        type: 'nfm_reply',
        nfm_reply: { name: 'flow', body: 'Sent', response_json: JSON.stringify(response) },
      },
    });

    // Act
    await env.handler(sqsEvent(sqsRecordFor(eumEnvelope({ messages: [reply] }))));

    // Assess
    const [shown] = transcript();
    expect(shown).not.toContain('flow_token');
    expect(shown).not.toContain('flow-token-7f3a9c');
    expect(shown).not.toContain('{');
    expect(shown?.split('\n')).toEqual(
      expect.arrayContaining([
        'Full name: Ana Souza',
        'Appointment date: 2026-12-01',
        'Toppings: cheese, ham',
        'Address:',
        '  City: Lisbon',
        '  Postcode: 1000-001',
      ]),
    );
  });

  it('tells the agent about an unsupported message in one sentence, without a double full stop', async () => {
    // Prepare
    const unsupported = messageOf(
      'unsupported',
      {},
      {
        unsupported: { type: 'edit' },
        errors: [
          {
            code: 131051,
            title: 'Message type unknown',
            message: 'Message type unknown',
            error_data: { details: 'Message type is currently not supported.' },
          },
        ],
      },
    );

    // Act
    await env.handler(sqsEvent(sqsRecordFor(eumEnvelope({ messages: [unsupported] }))));

    // Assess
    const [shown] = transcript();
    expect(shown).toContain('Message type is currently not supported');
    expect(shown).not.toContain('..');
  });
});

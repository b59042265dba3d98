import { ValidationException } from '@aws-sdk/client-socialmessaging';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FORM_STEP_KEYS, SEND_OUTCOME_KEYS } from '../../shared/domain/template-guide.js';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import {
  AGENT_ID,
  CUSTOMER_CONTACT_ID,
  connectLambdaEvent,
  GUIDE_CONTACT_ID,
} from '../support/connect-lambda-events.js';
import { SENDER_PHONE_NUMBER_ID, throttled } from '../support/fake-eum.js';
import { formFields, submittedViews } from '../support/guide-answers.js';
import { startTemplateEnvironment, type TemplateEnvironment } from '../support/template-environment.js';

const NUMBER = '+447700900123';

/**
 * The send-template block's parameters, as the guide flow passes them after the Form view:
 * `views` is `$.Views`, whose FormData holds the number and the template's fields.
 */
function submit(templateKey: string, fields: Record<string, string> = {}, mode = 'send') {
  return connectLambdaEvent({
    mode,
    templateKey,
    customerId: 'C-1002',
    customerName: 'Sam Taylor',
    views: submittedViews({ whatsAppNumber: NUMBER, ...fields }),
  });
}

const ORDER_VALUES = { param1: 'ORD-77', param2: 'Sam', param3: 'ORD-77', param4: '14 May', param5: 'Leeds' };

describe('send-template: validate, send, record the initiation', () => {
  let env: TemplateEnvironment;
  let output: CapturedOutput;

  beforeEach(async () => {
    env = await startTemplateEnvironment();
    // The guide opened on the customer's chat, which the agent accepted (DescribeContact).
    env.contacts.add({ id: GUIDE_CONTACT_ID, relatedContactId: CUSTOMER_CONTACT_ID });
    env.contacts.add({
      id: CUSTOMER_CONTACT_ID,
      agentId: AGENT_ID,
      attributes: { customerId: '447700900123', customerPhoneNumber: NUMBER },
    });
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    await env.stop();
  });

  it('sends a template with no parameters and records who sent it on the conversation', async () => {
    const before = Date.now();

    const result = await env.sendTemplate(submit('welcome_back:en_US'));

    expect(result).toMatchObject({ outcome: 'SENT', messageId: 'eum-message-1', formMessage: '' });
    expect(result.outcomeHeading).toBe('WhatsApp template sent');
    expect(result.outcomeDescription).toContain('was sent to +44********23');
    expect(result.outcomeDescription).toContain('offered to you first');
    expect(env.eum.sent).toEqual([
      {
        originationPhoneNumberId: SENDER_PHONE_NUMBER_ID,
        metaApiVersion: 'v23.0',
        message: {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to: NUMBER,
          type: 'template',
          template: { name: 'welcome_back', language: { code: 'en_US' }, components: [] },
        },
      },
    ]);
    const conversation = await env.conversations.get({
      businessPhoneNumberId: SENDER_PHONE_NUMBER_ID,
      customerId: '447700900123',
    });
    expect(conversation?.initiatedBy).toMatchObject({ agentId: AGENT_ID, templateName: 'welcome_back' });
    expect(conversation?.initiatedBy?.at).toBeGreaterThanOrEqual(before);
    expect(output.metric('TemplatesSent', { Template: 'welcome_back' })).toBe(1);
    expect(output.metric('AgentInitiationsRecorded')).toBe(1);
  });

  it('sends a named parameter by name', async () => {
    const result = await env.sendTemplate(submit('appointment_reminder:en_US', { param1: '3 June, 15:30' }));

    expect(result.outcome).toBe('SENT');
    expect(env.eum.sent[0]?.message.template).toEqual({
      name: 'appointment_reminder',
      language: { code: 'en_US' },
      components: [
        {
          type: 'body',
          parameters: [{ type: 'text', text: '3 June, 15:30', parameter_name: 'appointment_date' }],
        },
      ],
    });
  });

  it('sends five values to the header and body they belong to', async () => {
    const result = await env.sendTemplate(submit('order_update:en_US', ORDER_VALUES));

    expect(result.outcome).toBe('SENT');
    expect(env.eum.sent[0]?.message.template).toEqual({
      name: 'order_update',
      language: { code: 'en_US' },
      components: [
        { type: 'header', parameters: [{ type: 'text', text: 'ORD-77' }] },
        {
          type: 'body',
          parameters: ['Sam', 'ORD-77', '14 May', 'Leeds'].map((text) => ({ type: 'text', text })),
        },
      ],
    });
  });

  it('answers the full form and outcome, exactly the keys the flow reads, whatever happened', async () => {
    const sent = await env.sendTemplate(submit('welcome_back:en_US'));
    const refused = await env.sendTemplate(submit('welcome_back:en_US', { whatsAppNumber: '12' }));

    for (const result of [sent, refused]) {
      expect(Object.keys(result).sort()).toEqual([...FORM_STEP_KEYS, ...SEND_OUTCOME_KEYS].sort());
    }
    expect(sent.outcomeSections).toEqual(['Message id: eum-message-1']);
  });

  it('refuses to send, says why and counts it, when the form’s values did not reach the guide', async () => {
    const missing = await env.sendTemplate(
      connectLambdaEvent({ mode: 'send', templateKey: 'welcome_back:en_US', customerId: 'C-1002' }),
    );
    const malformed = await env.sendTemplate(
      connectLambdaEvent({
        mode: 'send',
        templateKey: 'welcome_back:en_US',
        views: { ViewResultData: '[1]' },
      }),
    );

    expect(missing).toMatchObject({ outcome: 'INVALID', formHeading: 'welcome_back (en_US, marketing)' });
    expect(missing.formMessage).toContain('The form’s values did not reach the guide. Nothing was sent.');
    expect(malformed.formMessage).toContain('a shape the guide cannot read');
    expect(env.eum.calls('Send')).toBe(0);
    expect(output.metric('TemplateFormRejected', { Reason: 'FormMissing' })).toBe(1);
    expect(output.metric('TemplateFormRejected', { Reason: 'FormMalformed' })).toBe(1);
  });

  describe('refuses before sending, keeps the agent’s input, and says what to fix', () => {
    it.each([
      ['a number without a country code', '07700 900123', 'international format'],
      ['an empty number', '', 'Enter the customer’s WhatsApp number'],
      ['a placeholder number', '+11111111111', 'looks like a placeholder'],
    ])('%s', async (_case, whatsAppNumber, message) => {
      const result = await env.sendTemplate(
        submit('order_update:en_US', { ...ORDER_VALUES, whatsAppNumber }),
      );

      expect(result.outcome).toBe('INVALID');
      expect(result.formMessage).toContain(message);
      expect(formFields(result).whatsAppNumber?.DefaultValue).toBe(whatsAppNumber);
      expect(formFields(result).param4?.DefaultValue).toBe('14 May');
      expect(env.eum.calls('Send')).toBe(0);
      expect(output.metric('TemplateFormRejected', { Reason: 'InvalidNumber' })).toBe(1);
    });

    it('accepts a number typed with spaces and a 00 prefix', async () => {
      const result = await env.sendTemplate(
        submit('welcome_back:en_US', { whatsAppNumber: '0044 7700 900123' }),
      );

      expect(result.outcome).toBe('SENT');
      expect(env.eum.sent[0]?.message.to).toBe(NUMBER);
    });

    it('an empty value, named after the template text', async () => {
      const result = await env.sendTemplate(submit('order_update:en_US', { ...ORDER_VALUES, param3: '  ' }));

      expect(result.outcome).toBe('INVALID');
      expect(result.formMessage).toBe('Parameter 3 (after “your order”) is empty.');
      expect(formFields(result).param2?.DefaultValue).toBe('Sam');
      expect(output.metric('TemplateFormRejected', { Reason: 'ParameterEmpty' })).toBe(1);
    });

    it('an empty named value', async () => {
      const result = await env.sendTemplate(submit('appointment_reminder:en_US'));

      expect(result.formMessage).toBe('Parameter 1 (appointment date) is empty.');
    });

    it('a value longer than the header allows', async () => {
      const result = await env.sendTemplate(
        submit('order_update:en_US', { ...ORDER_VALUES, param1: 'X'.repeat(61) }),
      );

      expect(result.outcome).toBe('INVALID');
      expect(result.formMessage).toContain(
        'Parameter 1 (after “Order”) is 61 characters; at most 60 are allowed.',
      );
      expect(output.metric('TemplateFormRejected', { Reason: 'ParameterTooLong' })).toBe(1);
    });

    it('a value that would make the message longer than WhatsApp allows', async () => {
      const result = await env.sendTemplate(
        submit('order_update:en_US', { ...ORDER_VALUES, param5: 'L'.repeat(1000) }),
      );

      expect(result.formMessage).toContain('The message text would be');
      expect(result.formMessage).toContain('WhatsApp allows 1024');
    });

    it('a value with a line break', async () => {
      const result = await env.sendTemplate(
        submit('order_update:en_US', { ...ORDER_VALUES, param2: 'Sam\nTaylor' }),
      );

      expect(result.formMessage).toContain('cannot contain line breaks');
      expect(output.metric('TemplateFormRejected', { Reason: 'ParameterFormat' })).toBe(1);
    });

    it('more values than the template has placeholders', async () => {
      const result = await env.sendTemplate(
        submit('appointment_reminder:en_US', { param1: '3 June', param2: 'extra' }),
      );

      expect(result.outcome).toBe('INVALID');
      expect(result.formMessage).toContain('This template takes 1 value, but 2 were given.');
      expect(output.metric('TemplateFormRejected', { Reason: 'ParameterCount' })).toBe(1);
    });

    it('a missing header document, then a link that is not https', async () => {
      const missing = await env.sendTemplate(submit('invoice_ready:en_US', { param1: 'INV-1' }));
      const insecure = await env.sendTemplate(
        submit('invoice_ready:en_US', { param1: 'INV-1', headerMedia: 'http://example.com/invoice.pdf' }),
      );

      expect(missing.formMessage).toBe('This template starts with a document: enter its https link.');
      expect(insecure.formMessage).toBe('The document link must be a public https:// URL.');
      expect(formFields(insecure).headerMedia?.DefaultValue).toBe('http://example.com/invoice.pdf');
      expect(output.metric('TemplateFormRejected', { Reason: 'HeaderMediaMissing' })).toBe(1);
      expect(output.metric('TemplateFormRejected', { Reason: 'HeaderMediaInvalid' })).toBe(1);
      expect(env.eum.calls('Send')).toBe(0);
    });

    it('an unknown template', async () => {
      const result = await env.sendTemplate(submit('no_such_template:en_US'));

      expect(result.outcome).toBe('INVALID');
      expect(result.formMessage).toContain('Template “no_such_template” does not exist');
      expect(output.metric('TemplateFormRejected', { Reason: 'UnknownTemplate' })).toBe(1);
    });

    it('a template that is not approved', async () => {
      const result = await env.sendTemplate(submit('spring_sale:en_US', { param1: '1 April' }));

      expect(result.formMessage).toContain('is PENDING at Meta; only approved templates can be sent');
      expect(output.metric('TemplateFormRejected', { Reason: 'TemplateNotApproved' })).toBe(1);
    });

    it('a language the template has no approved version in', async () => {
      const result = await env.sendTemplate(submit('order_update:en_GB', ORDER_VALUES));

      expect(result.formMessage).toContain(
        'Template “order_update” has no approved en_GB version; approved: en_US, pt_BR.',
      );
      expect(output.metric('TemplateFormRejected', { Reason: 'TemplateLanguageUnavailable' })).toBe(1);
    });

    it('logs the reason with the number masked, never in clear', async () => {
      await env.sendTemplate(submit('order_update:en_US', { ...ORDER_VALUES, param3: '' }));

      const logged = output.lines.flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
      const rejection = logged.find((entry) => entry.level === 'WARN' && entry.reason === 'ParameterEmpty');
      expect(rejection).toMatchObject({ templateKey: 'order_update:en_US', whatsAppNumber: '+44********23' });
      expect(output.lines.join('\n')).not.toContain('7700900123');
    });
  });

  it('sends the header document by link', async () => {
    const result = await env.sendTemplate(
      submit('invoice_ready:en_US', { param1: 'INV-1', headerMedia: 'https://example.com/invoice.pdf' }),
    );

    expect(result.outcome).toBe('SENT');
    expect(env.eum.sent[0]?.message.template).toMatchObject({
      components: [
        {
          type: 'header',
          parameters: [{ type: 'document', document: { link: 'https://example.com/invoice.pdf' } }],
        },
        { type: 'body', parameters: [{ type: 'text', text: 'INV-1' }] },
      ],
    });
  });

  it('previews without sending, with the agent’s values in the preview', async () => {
    const result = await env.sendTemplate(submit('order_update:en_US', ORDER_VALUES, 'preview'));

    expect(result.outcome).toBe('PREVIEW');
    expect(result.previewText).toContain('Hi Sam, your order ORD-77 ships on 14 May to Leeds.');
    expect(result.formMessage).toContain('Nothing has been sent yet');
    expect(env.eum.calls('Send')).toBe(0);
  });

  it('waits out a brief EUM throttle and sends the template once', async () => {
    env.eum.sendFailures.push(throttled());

    const result = await env.sendTemplate(submit('order_update:en_US', ORDER_VALUES));

    expect(result.outcome).toBe('SENT');
    expect(env.eum.sent).toHaveLength(1);
  });

  it('tells the agent to retry when EUM keeps throttling, counts it, and keeps the input', async () => {
    // Throttled on every attempt for longer than the few seconds the guide's flow can wait.
    for (let attempt = 0; attempt < 200; attempt++) env.eum.sendFailures.push(throttled());

    const result = await env.sendTemplate(submit('order_update:en_US', ORDER_VALUES));

    expect(result.outcome).toBe('RETRY');
    expect(result.formMessage).toBe(
      'WhatsApp is busy right now (throttled). Nothing was sent. Wait a few seconds and press Send again.',
    );
    const fields = formFields(result);
    expect(fields.param2?.DefaultValue).toBe('Sam');
    expect(fields.param5?.DefaultValue).toBe('Leeds');
    expect(fields.whatsAppNumber?.DefaultValue).toBe(NUMBER);
    expect(env.eum.sent).toHaveLength(0);
    expect(output.metric('TemplateSendThrottled')).toBe(1);
    expect(output.metric('TemplateSendFailures', { Reason: 'Throttled' })).toBe(1);
    const conversation = await env.conversations.get({
      businessPhoneNumberId: SENDER_PHONE_NUMBER_ID,
      customerId: '447700900123',
    });
    expect(conversation).toBeUndefined();
  });

  it('reports a rejection by WhatsApp as a failure the agent can act on', async () => {
    env.eum.sendFailures.push(new ValidationException({ message: 'Invalid parameter value', $metadata: {} }));

    const result = await env.sendTemplate(submit('welcome_back:en_US'));

    expect(result.outcome).toBe('FAILED');
    expect(result.formMessage).toBe(
      'WhatsApp rejected the message: Invalid parameter value. Nothing was sent. Check the values.',
    );
    expect(output.metric('TemplateSendFailures', { Reason: 'Rejected' })).toBe(1);
  });

  it('turns EUM throttling of the catalogue into a retry message, never an error into the flow', async () => {
    env.eum.listFailures.push(throttled(), throttled());

    const result = await env.sendTemplate(submit('welcome_back:en_US'));

    expect(result.outcome).toBe('RETRY');
    expect(result.formMessage).toContain(
      'WhatsApp is busy and the template could not be checked. Nothing was sent.',
    );
    expect(env.eum.calls('Send')).toBe(0);
  });

  it('routes the reply to the agent found only through the customer chat the guide is related to', async () => {
    // No agent anywhere in the Lambda event: the guide contact has no agent attributes.
    const result = await env.sendTemplate(submit('welcome_back:en_US'));

    expect(result.outcomeDescription).toContain('the chat is offered to you first');
    const conversation = await env.conversations.get({
      businessPhoneNumberId: SENDER_PHONE_NUMBER_ID,
      customerId: '447700900123',
    });
    expect(conversation?.initiatedBy?.agentId).toBe(AGENT_ID);
    expect(output.metric('GuideContextResolved', { Agent: 'Found', Customer: 'Found' })).toBe(1);
  });

  it('still sends when no agent can be found anywhere, and says the reply will not come back', async () => {
    env.contacts.add({ id: GUIDE_CONTACT_ID }); // opened from a workspace page: no related contact

    const result = await env.sendTemplate(submit('welcome_back:en_US'));

    expect(result.outcome).toBe('SENT');
    expect(result.outcomeDescription).toContain('A reply will NOT come back to you');
    expect(result.outcomeDescription).toContain('the guide was not opened from a customer contact');
    const conversation = await env.conversations.get({
      businessPhoneNumberId: SENDER_PHONE_NUMBER_ID,
      customerId: '447700900123',
    });
    expect(conversation?.initiatedBy?.agentId).toBeUndefined();
    expect(conversation?.initiatedBy?.templateName).toBe('welcome_back');
  });

  it('still sends when Connect cannot be asked for the contact, and says why the reply will not come back', async () => {
    env.contacts.failWith = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

    const result = await env.sendTemplate(submit('welcome_back:en_US'));

    expect(result.outcome).toBe('SENT');
    expect(result.outcomeDescription).toContain(
      'Connect could not be asked which agent is handling the customer',
    );
  });
});

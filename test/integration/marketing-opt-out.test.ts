import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import {
  AGENT_ID,
  CUSTOMER_CONTACT_ID,
  connectLambdaEvent,
  GUIDE_CONTACT_ID,
} from '../support/connect-lambda-events.js';
import { SENDER_PHONE_NUMBER_ID } from '../support/fake-eum.js';
import { submittedViews } from '../support/guide-answers.js';
import { inboundOnTemplateTable, userPreferenceEvent } from '../support/marketing-preferences.js';
import { startTemplateEnvironment, type TemplateEnvironment } from '../support/template-environment.js';

const WA_ID = '447700900123';
const NUMBER = `+${WA_ID}`;
const NEW_NUMBER = '+447700900999';
const BSUID = 'GB.1234567890123456';

/** The send-template block's parameters, as the guide flow passes them after the Form view. */
function submit(templateKey: string, whatsAppNumber = NUMBER, fields: Record<string, string> = {}) {
  return connectLambdaEvent({
    mode: 'send',
    templateKey,
    customerId: 'C-1002',
    customerName: 'Sam Taylor',
    views: submittedViews({ whatsAppNumber, ...fields }),
  });
}

const MARKETING = 'welcome_back:en_US';
const UTILITY = 'appointment_reminder:en_US';
const UTILITY_VALUES = { param1: '3 June, 15:30' };

/** Unix seconds of a UTC date, as Meta stamps webhooks. */
function seconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

describe('marketing opt-out: the guide respects the customer’s choice', () => {
  let env: TemplateEnvironment;
  let inbound: { handler: (event: SQSEvent) => Promise<SQSBatchResponse>; restore(): void };
  let output: CapturedOutput;

  beforeEach(async () => {
    env = await startTemplateEnvironment();
    env.contacts.add({ id: GUIDE_CONTACT_ID, relatedContactId: CUSTOMER_CONTACT_ID });
    env.contacts.add({
      id: CUSTOMER_CONTACT_ID,
      agentId: AGENT_ID,
      attributes: { customerId: WA_ID, customerPhoneNumber: NUMBER },
    });
    inbound = await inboundOnTemplateTable();
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    inbound.restore();
    await env.stop();
  });

  it('refuses a marketing template to a customer who stopped marketing messages, and still sends a utility one', async () => {
    // Prepare: the customer never wrote; Meta tells us they stopped marketing messages.
    const response = await inbound.handler(
      userPreferenceEvent({ waId: WA_ID }, 'stop', seconds('2026-11-20T09:30:00Z')),
    );
    expect(response.batchItemFailures).toEqual([]);

    // Act
    const marketing = await env.sendTemplate(submit(MARKETING));
    const utility = await env.sendTemplate(submit(UTILITY, NUMBER, UTILITY_VALUES));

    // Assess
    expect(marketing.outcome).toBe('INVALID');
    expect(marketing.formMessage).toContain('opted out of marketing messages on 2026-11-20');
    expect(marketing.formMessage).toContain('utility template');
    expect(utility.outcome).toBe('SENT');
    expect(
      env.eum.sent.map((send) => (send.message as { template: { name: string } }).template.name),
    ).toEqual(['appointment_reminder']);
    expect(output.metric('MarketingChoices', { Reason: 'OptedOut', Source: 'meta' })).toBe(1);
    expect(output.metric('TemplateFormRejected', { Reason: 'MarketingOptedOut' })).toBe(1);
  });

  it('sends marketing templates again once the customer resumes marketing messages', async () => {
    // Prepare
    await inbound.handler(userPreferenceEvent({ waId: WA_ID }, 'stop', seconds('2026-11-20T09:30:00Z')));
    await inbound.handler(userPreferenceEvent({ waId: WA_ID }, 'resume', seconds('2026-11-21T10:00:00Z')));

    // Act
    const result = await env.sendTemplate(submit(MARKETING));

    // Assess
    expect(result.outcome).toBe('SENT');
    expect(env.eum.sent).toHaveLength(1);
    expect(output.metric('MarketingChoices', { Reason: 'OptedIn', Source: 'meta' })).toBe(1);
  });

  it('keeps the newer resume when an older stop arrives late', async () => {
    // Prepare: the resume is processed first; the stop from the day before arrives afterwards.
    await inbound.handler(userPreferenceEvent({ waId: WA_ID }, 'resume', seconds('2026-11-21T10:00:00Z')));

    // Act
    const late = await inbound.handler(
      userPreferenceEvent({ waId: WA_ID }, 'stop', seconds('2026-11-20T09:30:00Z')),
    );
    const result = await env.sendTemplate(submit(MARKETING));

    // Assess
    expect(late.batchItemFailures).toEqual([]);
    expect(result.outcome).toBe('SENT');
    expect(output.metric('MarketingChoices', { Reason: 'Superseded', Source: 'meta' })).toBe(1);
    const conversation = await env.conversations.get({
      businessPhoneNumberId: SENDER_PHONE_NUMBER_ID,
      customerId: WA_ID,
    });
    expect(conversation?.marketing).toMatchObject({ state: 'opted-in', source: 'meta' });
  });

  it('keeps the opt-out of a customer who changed number, through their business-scoped user id', async () => {
    // Prepare: Meta names the customer by BSUID and old number; the chat the agent works on is
    // from their new number, with the same BSUID.
    await inbound.handler(
      userPreferenceEvent({ waId: WA_ID, userId: BSUID }, 'stop', seconds('2026-11-20T09:30:00Z')),
    );
    env.contacts.add({
      id: CUSTOMER_CONTACT_ID,
      agentId: AGENT_ID,
      attributes: {
        customerId: BSUID,
        customerPhoneNumber: NEW_NUMBER,
        customerWhatsAppUserId: BSUID,
      },
    });

    // Act
    const result = await env.sendTemplate(submit(MARKETING, NEW_NUMBER));

    // Assess
    expect(result.outcome).toBe('INVALID');
    expect(result.formMessage).toContain('opted out of marketing messages on 2026-11-20');
    expect(env.eum.sent).toEqual([]);
  });

  it('acknowledges a preference about something other than marketing messages without recording it', async () => {
    // Prepare
    const event = userPreferenceEvent({ waId: WA_ID }, 'stop', seconds('2026-11-20T09:30:00Z'));
    const record = event.Records[0];
    if (!record) throw new Error('no record');
    const body = record.body.replace('marketing_messages', 'some_future_category');

    // Act
    const response = await inbound.handler({ Records: [{ ...record, body }] });
    const result = await env.sendTemplate(submit(MARKETING));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(result.outcome).toBe('SENT');
    expect(output.metric('MarketingChoices', { Reason: 'NotMarketing', Source: 'meta' })).toBe(1);
  });

  it('looks the customer’s opt-out up for the guide’s form when the guide opens on their chat', async () => {
    // Prepare
    await inbound.handler(userPreferenceEvent({ waId: WA_ID }, 'stop', seconds('2026-11-20T09:30:00Z')));

    // Act
    await env.customerData(connectLambdaEvent({ step: 'form', templateKey: MARKETING }));

    // Assess
    expect(output.metric('GuideMarketingLookups', { Choice: 'opted-out' })).toBe(1);
  });
});

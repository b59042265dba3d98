import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CHOOSE_STEP_KEYS,
  FORM_STEP_KEYS,
  templateKeyFromAction,
} from '../../shared/domain/template-guide.js';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import { connectLambdaEvent } from '../support/connect-lambda-events.js';
import { throttled } from '../support/fake-eum.js';
import { formFields, type GuideAnswer } from '../support/guide-answers.js';
import { startTemplateEnvironment, type TemplateEnvironment } from '../support/template-environment.js';

function choose(attributes: Record<string, string>) {
  // As the guide flow calls it: the contact's attributes passed as block parameters.
  return connectLambdaEvent(
    {
      step: 'choose',
      customerId: attributes.customerId ?? '',
      customerPhoneNumber: attributes.customerPhoneNumber ?? '',
    },
    attributes,
  );
}

function form(templateKey: string, attributes: Record<string, string>) {
  return connectLambdaEvent({ step: 'form', templateKey, ...attributes }, attributes);
}

/** The template each card's button opens, in card order. */
function offered(result: GuideAnswer): (string | undefined)[] {
  return (result.cards ?? []).map((card) => templateKeyFromAction(card.Detail.Actions[0] ?? ''));
}

describe('customer-data: the guide’s choose and form steps', () => {
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

  it('shows the customer found by id, masked, and one card per approved template', async () => {
    const result = await env.customerData(choose({ customerId: 'C-1001' }));

    expect(result).toMatchObject({
      customerId: 'C-1001',
      customerName: 'Ana Souza',
      customerPhoneNumber: '+5511987654321',
      whatsAppNumberMasked: '+55*********21',
      customerNotice: '',
      templateCount: '5',
    });
    // Approved only (spring_sale is PENDING), sorted by name then language: the cards size themselves.
    expect(offered(result)).toEqual([
      'appointment_reminder:en_US',
      'invoice_ready:en_US',
      'order_update:en_US',
      'order_update:pt_BR',
      'welcome_back:en_US',
    ]);
    expect(result.cards?.[0]?.Summary.Heading).toBe('appointment_reminder (en_US)');
    expect(result.cards?.[0]?.Summary.Description).toContain('Your appointment is on [appointment date]');
    expect(result.chooseAttributes).toEqual([
      { Label: 'Customer', Value: 'Ana Souza' },
      { Label: 'WhatsApp number', Value: '+55*********21' },
    ]);
  });

  it('answers exactly the keys the flow reads, with the cards as an array for the JSON response', async () => {
    const result = await env.customerData(choose({ customerId: 'C-1001' }));

    expect(Object.keys(result).sort()).toEqual([...CHOOSE_STEP_KEYS].sort());
    expect(Array.isArray(result.cards)).toBe(true);
  });

  it('finds the customer by phone number when the id is a WhatsApp id, not a CRM id', async () => {
    // An inbound WhatsApp chat carries customerId = wa_id and customerPhoneNumber (functions/inbound).
    const result = await env.customerData(
      choose({ customerId: '447700900123', customerPhoneNumber: '+447700900123' }),
    );

    expect(result).toMatchObject({ customerId: 'C-1002', customerName: 'Sam Taylor', customerNotice: '' });
    expect(output.metric('CustomerLookups', { Result: 'Found' })).toBe(1);
  });

  it('says clearly when no customer matches, and still offers the templates', async () => {
    const result = await env.customerData(choose({ customerId: 'C-9999' }));

    expect(result.customerName).toBe('Unknown customer');
    expect(result.customerNotice).toContain('No customer record matches customer id C-9999');
    expect(result.customerNotice).toContain('type the WhatsApp number on the next step');
    expect(result.templateCount).toBe('5');
    expect(output.metric('CustomerLookups', { Result: 'NotFound' })).toBe(1);
  });

  it('says so when the contact carries neither a customer id nor a number', async () => {
    const result = await env.customerData(connectLambdaEvent({ step: 'choose' }));

    expect(result.customerNotice).toContain('This contact has no customer id or number');
    expect(output.metric('CustomerLookups', { Result: 'NoReference' })).toBe(1);
  });

  it('labels the form fields from the template text and pre-fills them from the customer record', async () => {
    const result = await env.customerData(form('order_update:en_US', { customerId: 'C-1001' }));

    expect(result).toMatchObject({
      templateKey: 'order_update:en_US',
      formHeading: 'order_update (en_US, utility)',
      formMessage: '',
    });
    const fields = formFields(result);
    expect(Object.keys(fields)).toEqual(['whatsAppNumber', 'param1', 'param2', 'param3', 'param4', 'param5']);
    expect(fields.whatsAppNumber?.DefaultValue).toBe('+5511987654321');
    expect(fields.param1).toMatchObject({
      Label: 'Header {{1}}: …Order ___ (e.g. ORD-1234)',
      DefaultValue: 'ORD-1234',
    });
    expect(fields.param2).toMatchObject({
      Label: 'Text {{1}}: …Hi ___, your order… (e.g. Ana)',
      DefaultValue: 'Ana',
    });
    expect(fields.param3?.Label).toMatch(/^Text \{\{2\}\}: …your order ___ ships on…/);
    expect(fields.param3?.DefaultValue).toBe('ORD-1234');
    expect(fields.param5?.DefaultValue).toBe('London');
    expect(result.previewText).toBe(
      '*Order ORD-1234*\nHi Ana, your order ORD-1234 ships on 12 May to London.\n[Thanks]',
    );
    expect(Object.keys(result).sort()).toEqual([...FORM_STEP_KEYS].sort());
  });

  it('opens the form for the card the agent chose, with the marketing state shown (not recorded yet)', async () => {
    // Prepare: the flow passes the Cards view's actionName, kept as the whatsAppTemplateChoice attribute.
    const event = connectLambdaEvent(
      { step: 'form', templateChoice: 'Use order_update (pt_BR)', customerId: 'C-1001' },
      { customerId: 'C-1001' },
    );

    // Act
    const result = await env.customerData(event);

    // Assess
    expect(result.templateKey).toBe('order_update:pt_BR');
    expect(result.marketing).toBe('Marketing messages: not recorded');
    expect(result.formAttributes).toContainEqual({ Label: 'Marketing messages', Value: 'not recorded' });
  });

  it('shows the header media field, pre-filled, for a template that starts with a document', async () => {
    const result = await env.customerData(form('invoice_ready:en_US', { customerId: 'C-1001' }));

    const fields = formFields(result);
    expect(fields.headerMedia).toMatchObject({
      Label: 'Document link (https)',
      DefaultValue: 'https://example.com/invoices/INV-2026-0042.pdf',
    });
    expect(fields.param1?.DefaultValue).toBe('INV-2026-0042');
  });

  it('leaves values empty and asks for the number when the customer is unknown', async () => {
    const result = await env.customerData(form('appointment_reminder:en_US', { customerId: 'C-9999' }));

    expect(formFields(result).param1).toMatchObject({
      Label: 'Appointment date (e.g. 12 May, 10:00)',
      DefaultValue: '',
    });
    expect(formFields(result).whatsAppNumber?.DefaultValue).toBe('');
    expect(result.formMessage).toContain('No customer record matches customer id C-9999');
  });

  it('explains why a template that is not approved cannot be used', async () => {
    const result = await env.customerData(form('spring_sale:en_US', { customerId: 'C-1001' }));

    expect(result.formMessage).toContain('Template “spring_sale” (en_US) is PENDING at Meta');
    expect(formFields(result)).toEqual({});
  });

  it('reuses the cached catalogue within the TTL (a cache hit makes no EUM call)', async () => {
    await env.customerData(choose({ customerId: 'C-1001' }));
    const listsAfterFirst = env.eum.calls('List');
    const getsAfterFirst = env.eum.calls('Get');

    await env.customerData(form('order_update:en_US', { customerId: 'C-1001' }));

    // Six templates in pages of two: three List calls, and one Get per approved template.
    expect(listsAfterFirst).toBe(3);
    expect(getsAfterFirst).toBe(5);
    expect(env.eum.calls('List')).toBe(listsAfterFirst);
    expect(env.eum.calls('Get')).toBe(getsAfterFirst);
    expect(output.metric('TemplateCatalogueLoads')).toBe(1);
  });

  it('turns EUM throttling into a message on the form, never an error into the flow', async () => {
    env.eum.listFailures.push(throttled(), throttled());

    const result = await env.customerData(choose({ customerId: 'C-1001' }));

    expect(result.customerName).toBe('Ana Souza');
    expect(result.customerNotice).toContain('WhatsApp is busy and the template list could not be loaded');
    expect(result.templateCount).toBe('0');
    expect(Object.keys(result).sort()).toEqual([...CHOOSE_STEP_KEYS].sort());
  });
});

describe('customer-data: catalogue cache expiry', () => {
  it('lists the catalogue again once the TTL has passed (a cache miss)', async () => {
    const env = await startTemplateEnvironment({ env: { TEMPLATE_CACHE_TTL_SECONDS: '0' } });
    const output = captureOutput();
    try {
      await env.customerData(choose({ customerId: 'C-1001' }));
      await env.customerData(choose({ customerId: 'C-1001' }));

      expect(env.eum.calls('List')).toBe(6);
      expect(output.metric('TemplateCatalogueLoads')).toBe(2);
    } finally {
      output.restore();
      await env.stop();
    }
  });

  it('offers only allow-listed templates when an allow-list is configured', async () => {
    const env = await startTemplateEnvironment({
      env: { TEMPLATE_ALLOW_LIST: 'order_update, welcome_back' },
    });
    const output = captureOutput();
    try {
      const result = await env.customerData(choose({ customerId: 'C-1001' }));

      expect(offered(result)).toEqual(['order_update:en_US', 'order_update:pt_BR', 'welcome_back:en_US']);
    } finally {
      output.restore();
      await env.stop();
    }
  });
});

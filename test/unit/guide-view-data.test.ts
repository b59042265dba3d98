import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/customer-data/handler.js';
import { readGuideForm } from '../../shared/domain/guide-form-result.js';
import { describeMarketing } from '../../shared/domain/marketing-display.js';
import { templateAction, templateKeyFromAction } from '../../shared/domain/template-guide.js';
import { chooseStepData, formStepData } from '../../shared/domain/template-guide-answers.js';
import { escapeViewData } from '../../shared/domain/view-data.js';
import type { TemplateDefinition } from '../../shared/domain/whatsapp-template.js';
import { connectLambdaEvent } from '../support/connect-lambda-events.js';
import { formFields, type GuideAnswer, submittedViews } from '../support/guide-answers.js';

const telemetry = { count() {}, info() {}, warn() {}, error() {} } as never;

const ORDER_UPDATE: TemplateDefinition = {
  name: 'order_update',
  language: 'en_US',
  category: 'UTILITY',
  header: { format: 'TEXT', text: 'Order {{1}}' },
  body: 'Hi {{1}}, your order {{2}} ships on {{3}}.',
  buttons: [],
  bodyExamples: {},
};

/** Every string anywhere in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('text shown in a guide view is never read as flow data', () => {
  it('shows a customer whose name starts with "$." with a full-width dollar, in the heading and the attribute bar too', async () => {
    // Prepare: a CRM record whose name looks like a JSONPath reference.
    const data = chooseStepData({
      customer: {
        customerId: 'C-9',
        name: '$.Attributes.secret',
        phoneNumber: '+447700900123',
        attributes: {},
      },
      lookedUpBy: '',
      templates: [ORDER_UPDATE],
    });
    const handler = makeHandler({
      guide: {
        choose: async () => data,
        form: async () =>
          formStepData({ customer: undefined, template: ORDER_UPDATE, whatsAppNumber: '', message: '' }),
      },
      context: async () => ({ agent: { armed: false, reason: 'test' } }),
      telemetry,
    });

    // Act
    const result = (await handler(connectLambdaEvent({ step: 'choose' }))) as GuideAnswer;

    // Assess
    expect(result.customerName).toBe('＄.Attributes.secret');
    expect(result.chooseAttributes).toContainEqual({ Label: 'Customer', Value: '＄.Attributes.secret' });
    expect(strings(result).some((value) => value.startsWith('$.'))).toBe(false);
  });

  it('escapes strings at any depth and leaves numbers, booleans and keys alone', () => {
    // Act
    const escaped = escapeViewData({ a: ['$.x', { b: '$.y', c: 3, d: true }], '$.key': 'ok' });

    // Assess
    expect(escaped).toEqual({ a: ['＄.x', { b: '＄.y', c: 3, d: true }], '$.key': 'ok' });
  });
});

describe('the guide’s managed-view data', () => {
  it('gives every sendable template one card, whose button names it, and nothing hidden by a flag', () => {
    // Act
    const data = chooseStepData({ customer: undefined, lookedUpBy: '', templates: [ORDER_UPDATE] });

    // Assess
    expect(data.templateCount).toBe('1');
    expect(data.cards).toHaveLength(1);
    expect(data.cards[0]?.Summary).toMatchObject({ Heading: 'order_update (en_US)', Status: 'Utility' });
    expect(data.cards[0]?.Detail.Actions).toEqual(['Use order_update (en_US)']);
    expect(JSON.stringify(data)).not.toMatch(/Visib/);
  });

  it('reads the chosen card’s button back as the template key, and nothing else as one', () => {
    expect(templateKeyFromAction(templateAction(ORDER_UPDATE))).toBe('order_update:en_US');
    expect(templateKeyFromAction('Start over')).toBeUndefined();
    expect(templateKeyFromAction('Use <b>x</b> (en)')).toBeUndefined();
  });

  it('asks for exactly the number and the template’s own values, and no empty slots', () => {
    // Act
    const form = formStepData({
      customer: undefined,
      template: ORDER_UPDATE,
      whatsAppNumber: '+447700900123',
      message: '',
    });

    // Assess
    expect(Object.keys(formFields(form))).toEqual(['whatsAppNumber', 'param1', 'param2', 'param3', 'param4']);
    expect(formFields(form).whatsAppNumber?.DefaultValue).toBe('+447700900123');
  });

  it('escapes markup in a card’s opened text, so template text always shows as written', () => {
    const data = chooseStepData({
      customer: undefined,
      lookedUpBy: '',
      templates: [{ ...ORDER_UPDATE, name: 'promo' }],
    });
    expect(data.cards[0]?.Detail.Sections.TemplateString).toBe(
      '<p>Press “Use promo (en_US)” to fill in its values, check them and send it.</p>',
    );
  });
});

describe('the form shows the customer’s marketing choice', () => {
  it.each([
    [undefined, 'Marketing messages: not recorded'],
    [{ state: 'unknown' } as const, 'Marketing messages: not recorded'],
    [{ state: 'opted-in', at: Date.UTC(2026, 9, 1), source: 'meta' } as const, 'Marketing messages: allowed'],
    [
      { state: 'opted-out', at: Date.UTC(2026, 10, 3, 18), source: 'keyword' } as const,
      'Marketing messages: the customer opted out on 2026-11-03 (MARKETING templates will be refused)',
    ],
  ])('%j reads “%s”', (preference, text) => {
    // Act
    const form = formStepData({
      customer: undefined,
      template: ORDER_UPDATE,
      whatsAppNumber: '',
      message: '',
      ...(preference ? { marketing: preference } : {}),
    });

    // Assess
    expect(describeMarketing(preference).text).toBe(text);
    expect(form.marketing).toBe(text);
    expect(form.formAttributes).toContainEqual({
      Label: 'Marketing messages',
      Value: text.replace('Marketing messages: ', ''),
    });
  });
});

describe('reading the Form view’s answers', () => {
  it('reads FormData from $.Views whose ViewResultData is a JSON string, as AWS’s sample Lambda receives it', () => {
    expect(readGuideForm(submittedViews({ whatsAppNumber: ' +447700900123 ', param1: 'Sam' }))).toEqual({
      ok: true,
      fields: { whatsAppNumber: '+447700900123', param1: 'Sam' },
    });
  });

  it('reads an object instead of a string, list values by their first item, and numbers as text', () => {
    const views = {
      ViewResultData: { FormData: { param1: ['ORD-77', 'x'], param2: 42, param3: [], odd: { a: 1 } } },
    };
    expect(readGuideForm(views)).toEqual({
      ok: true,
      fields: { param1: 'ORD-77', param2: '42', param3: '' },
    });
  });

  it.each([
    ['nothing at all', undefined, 'Missing'],
    ['an empty string', '', 'Missing'],
    ['a result without FormData', { ViewResultData: '{"actionName":"Next"}' }, 'Malformed'],
    ['text that is not JSON', { ViewResultData: '{FormData' }, 'Malformed'],
    ['FormData that is a list', { ViewResultData: { FormData: ['a'] } }, 'Malformed'],
  ])('refuses %s with a message the agent can act on', (_label, views, reason) => {
    const result = readGuideForm(views);
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok ? '' : result.problem).toContain('Nothing was sent');
  });
});

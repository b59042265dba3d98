import { describe, expect, it } from 'vitest';
import type { CustomerRecord } from '../../shared/domain/customer.js';
import { RetryableError } from '../../shared/domain/errors.js';
import { MAX_TEMPLATE_OPTIONS } from '../../shared/domain/template-guide.js';
import type { TemplateDefinition } from '../../shared/domain/whatsapp-template.js';
import { LoadTemplateGuide } from '../../shared/use-cases/load-template-guide.js';
import { InMemoryCustomerDirectory } from '../support/fakes/customer-directory.js';
import { RecordingTelemetry } from '../support/fakes/telemetry.js';
import { InMemoryTemplateCatalogue } from '../support/fakes/template-catalogue.js';
import { formFields } from '../support/guide-answers.js';

const ANA: CustomerRecord = {
  customerId: 'C-100',
  name: 'Ana Souza',
  phoneNumber: '+447700900123',
  attributes: { 'order_update.1': 'Ana', 'order_update.2': 'A-1042' },
};

const ORDER_UPDATE: TemplateDefinition = {
  name: 'order_update',
  language: 'en_US',
  body: 'Hi {{1}}, your order {{2}} ships today.',
  buttons: [],
  bodyExamples: { '1': 'Ana', '2': 'A-1042' },
};

function guideWorld(templates: TemplateDefinition[] = [ORDER_UPDATE]) {
  const customers = new InMemoryCustomerDirectory([ANA]);
  const catalogue = new InMemoryTemplateCatalogue(templates);
  const telemetry = new RecordingTelemetry();
  const guide = new LoadTemplateGuide({ customers, catalogue, telemetry });
  return { customers, catalogue, telemetry, guide };
}

describe('the template guide, step 1: choosing a template', () => {
  it("shows the customer found by the contact's customer id, and one card per sendable template", async () => {
    // Prepare
    const world = guideWorld();
    // Act
    const data = await world.guide.choose({ customerId: 'C-100', phoneNumber: '' });
    // Assess
    expect(data).toMatchObject({
      customerId: 'C-100',
      customerName: 'Ana Souza',
      customerPhoneNumber: '+447700900123',
      templateCount: '1',
    });
    expect(data.cards.map((card) => card.Detail.Actions)).toEqual([['Use order_update (en_US)']]);
    expect(world.customers.lookups).toEqual(['id:C-100']);
    expect(world.telemetry.counted('CustomerLookups', { Result: 'Found' })).toBe(1);
  });

  it('finds the customer by number when the id matches nobody', async () => {
    // Prepare
    const world = guideWorld();
    // Act
    const data = await world.guide.choose({ customerId: 'C-999', phoneNumber: '+44 7700 900123' });
    // Assess
    expect(data.customerName).toBe('Ana Souza');
    expect(world.customers.lookups).toEqual(['id:C-999', 'phone:+447700900123']);
  });

  it('says no record matches, and still offers the templates', async () => {
    // Prepare
    const world = guideWorld();
    // Act
    const data = await world.guide.choose({ customerId: 'C-404', phoneNumber: '' });
    // Assess
    expect(data.customerNotice).toContain('No customer record matches customer id C-404');
    expect(data.templateCount).toBe('1');
    expect(world.telemetry.counted('CustomerLookups', { Result: 'NotFound' })).toBe(1);
  });

  it('says the template list could not be loaded instead of failing the flow', async () => {
    // Prepare
    const world = guideWorld();
    world.catalogue.failWith = new RetryableError('throttled', 'Throttled');
    // Act
    const data = await world.guide.choose({ customerId: 'C-100', phoneNumber: '' });
    // Assess
    expect(data.templateCount).toBe('0');
    expect(data.customerNotice).toContain('WhatsApp is busy');
  });

  it('offers as many templates as the view has slots, and says how many were left out', async () => {
    // Prepare
    const many = Array.from({ length: MAX_TEMPLATE_OPTIONS + 1 }, (_, index) => ({
      ...ORDER_UPDATE,
      name: `order_update_${index}`,
    }));
    const world = guideWorld(many);
    // Act
    const data = await world.guide.choose({ customerId: 'C-100', phoneNumber: '' });
    // Assess
    expect(data.templateCount).toBe(String(MAX_TEMPLATE_OPTIONS));
    expect(data.customerNotice).toContain(`Showing ${MAX_TEMPLATE_OPTIONS} of ${MAX_TEMPLATE_OPTIONS + 1}`);
  });
});

describe('the template guide, step 2: the form', () => {
  it("fills the chosen template's fields from the customer record and previews the message", async () => {
    // Prepare
    const world = guideWorld();
    // Act
    const data = await world.guide.form({ customerId: 'C-100', phoneNumber: '' }, 'order_update:en_US');
    // Assess
    expect(data).toMatchObject({ templateKey: 'order_update:en_US', formMessage: '' });
    const fields = formFields(data);
    expect(fields.whatsAppNumber?.DefaultValue).toBe('+447700900123');
    expect(fields.param1?.DefaultValue).toBe('Ana');
    expect(fields.param2?.DefaultValue).toBe('A-1042');
    expect(fields.param3).toBeUndefined();
    expect(data.previewText).toContain('Hi Ana, your order A-1042 ships today.');
  });

  it('asks the agent to fill in every value when no customer record matches', async () => {
    // Prepare
    const world = guideWorld();
    // Act
    const data = await world.guide.form(
      { customerId: '', phoneNumber: '+447700900999' },
      'order_update:en_US',
    );
    // Assess
    expect(formFields(data).whatsAppNumber?.DefaultValue).toBe('+447700900999');
    expect(formFields(data).param1?.DefaultValue).toBe('');
    expect(data.formMessage).toContain('No customer record matches');
  });

  it('explains that a chosen template is gone, rather than showing an empty form without reason', async () => {
    // Prepare
    const world = guideWorld();
    // Act
    const data = await world.guide.form({ customerId: 'C-100', phoneNumber: '' }, 'winter_sale:en_US');
    // Assess
    expect(data.templateKey).toBe('winter_sale:en_US');
    expect(data.formMessage).toContain('does not exist');
    expect(formFields(data)).toEqual({});
  });
});

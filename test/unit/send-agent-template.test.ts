import { describe, expect, it } from 'vitest';
import { RetryableError } from '../../shared/domain/errors.js';
import type { TemplateDefinition } from '../../shared/domain/whatsapp-template.js';
import { TemplateSendError } from '../../shared/ports/template-sender.js';
import { SendAgentTemplate } from '../../shared/use-cases/send-agent-template.js';
import type { TemplateSendRequest } from '../../shared/use-cases/template-send-request.js';
import { InMemoryAgentInitiations } from '../support/fakes/agent-initiations.js';
import { ManualClock } from '../support/fakes/clock.js';
import { InMemoryCustomerKeys } from '../support/fakes/customer-keys.js';
import { InMemoryMarketingPreferences } from '../support/fakes/marketing-preferences.js';
import { RecordingTelemetry } from '../support/fakes/telemetry.js';
import { InMemoryTemplateCatalogue } from '../support/fakes/template-catalogue.js';
import { scriptedTemplateSender } from '../support/fakes/template-sender.js';
import { formFields } from '../support/guide-answers.js';

const SENDER = 'phone-number-id-0123456789abcdef0123456789abcdef';
const AGENT_ID = '7d3c2b1a-1111-2222-3333-444455556666';

const ORDER_UPDATE: TemplateDefinition = {
  name: 'order_update',
  language: 'en_US',
  category: 'UTILITY',
  body: 'Hi {{1}}, your order {{2}} ships today.',
  buttons: [],
  bodyExamples: { '1': 'Ana', '2': 'A-1042' },
};

function templateWorld() {
  const clock = new ManualClock();
  const catalogue = new InMemoryTemplateCatalogue(
    [ORDER_UPDATE],
    [{ name: 'spring_sale', language: 'en_US', status: 'PENDING' }],
  );
  const sender = scriptedTemplateSender();
  const initiations = new InMemoryAgentInitiations();
  const keys = new InMemoryCustomerKeys();
  const telemetry = new RecordingTelemetry();
  const marketing = new InMemoryMarketingPreferences();
  const useCase = new SendAgentTemplate({
    catalogue,
    sender,
    conversations: initiations,
    keys,
    marketing,
    telemetry,
    businessPhoneNumberId: SENDER,
    now: clock.now,
    sendBudgetMs: 4_000,
  });
  return { clock, catalogue, sender, initiations, keys, telemetry, marketing, useCase };
}

/** What the agent submitted: the number, the values in slots 1–10, and who they are. */
function form(overrides: Partial<TemplateSendRequest> = {}): TemplateSendRequest {
  return {
    mode: 'send',
    templateKey: 'order_update:en_US',
    whatsAppNumber: '+44 7700 900123',
    parameters: ['Ana', 'A-1042', '', '', '', '', '', '', '', ''],
    headerMediaUrl: '',
    customerId: 'C-100',
    customerName: 'Ana Souza',
    agent: { armed: true, agentId: AGENT_ID, from: 'customer contact' },
    deadline: Number.MAX_SAFE_INTEGER,
    guideContactId: 'guide-contact-1',
    ...overrides,
  };
}

describe('an agent sending a WhatsApp template', () => {
  it('sends the filled-in template and records which agent started the conversation', async () => {
    // Prepare
    const world = templateWorld();
    // Act
    const answer = await world.useCase.execute(form());
    // Assess
    expect(world.sender.requests('send')).toEqual([
      expect.objectContaining({
        to: '+447700900123',
        type: 'template',
        template: {
          name: 'order_update',
          language: { code: 'en_US' },
          components: [
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'Ana' },
                { type: 'text', text: 'A-1042' },
              ],
            },
          ],
        },
      }),
    ]);
    expect(world.initiations.recorded).toEqual([
      {
        key: { businessPhoneNumberId: SENDER, customerId: '447700900123' },
        initiation: { templateName: 'order_update', at: world.clock.now(), agentId: AGENT_ID },
      },
    ]);
    expect(answer).toMatchObject({ outcome: 'SENT', messageId: 'eum-message-1' });
    expect(answer.outcomeDescription).toContain('offered to you first');
    expect(world.telemetry.counted('TemplatesSent', { Template: 'order_update' })).toBe(1);
  });

  it("records the initiation on the customer's BSUID conversation when their number is linked to one", async () => {
    // Prepare
    const world = templateWorld();
    world.keys.aliases.set('447700900123', 'US.13491208655302741918');
    // Act
    await world.useCase.execute(form());
    // Assess
    expect(world.initiations.recorded.map((entry) => entry.key.customerId)).toEqual([
      'US.13491208655302741918',
    ]);
  });

  it('previews without sending anything', async () => {
    // Prepare
    const world = templateWorld();
    // Act
    const answer = await world.useCase.execute(form({ mode: 'preview' }));
    // Assess
    expect(answer.outcome).toBe('PREVIEW');
    expect(answer.previewText).toContain('Hi Ana, your order A-1042 ships today.');
    expect(world.sender.calls).toEqual([]);
    expect(world.initiations.recorded).toEqual([]);
  });

  it("refuses a number that is not a WhatsApp number, keeping the agent's values on the form", async () => {
    // Prepare
    const world = templateWorld();
    // Act
    const answer = await world.useCase.execute(form({ whatsAppNumber: '12' }));
    // Assess
    expect(answer.outcome).toBe('INVALID');
    expect(formFields(answer).param1?.DefaultValue).toBe('Ana');
    expect(formFields(answer).param2?.DefaultValue).toBe('A-1042');
    expect(answer.formMessage).not.toBe('');
    expect(world.sender.calls).toEqual([]);
    expect(world.telemetry.counted('TemplateFormRejected', { Reason: 'InvalidNumber' })).toBe(1);
  });

  it('refuses a missing value and names the field', async () => {
    // Prepare
    const world = templateWorld();
    // Act
    const answer = await world.useCase.execute(
      form({ parameters: ['Ana', '', '', '', '', '', '', '', '', ''] }),
    );
    // Assess
    expect(answer.outcome).toBe('INVALID');
    expect(world.sender.calls).toEqual([]);
    expect(world.telemetry.counted('TemplateFormRejected', { Reason: 'ParameterEmpty' })).toBe(1);
  });

  it('says a template is still pending at Meta rather than sending it', async () => {
    // Prepare
    const world = templateWorld();
    // Act
    const answer = await world.useCase.execute(form({ templateKey: 'spring_sale:en_US' }));
    // Assess
    expect(answer.outcome).toBe('INVALID');
    expect(answer.formMessage).toContain('PENDING');
    expect(world.sender.calls).toEqual([]);
  });

  it('asks the agent to press Send again when WhatsApp throttles the send, and records nothing', async () => {
    // Prepare
    const world = templateWorld();
    world.sender.answer.send = async () => {
      throw new TemplateSendError('Throttled', 'ThrottledRequestException', 'Rate exceeded');
    };
    // Act
    const answer = await world.useCase.execute(form());
    // Assess
    expect(answer.outcome).toBe('RETRY');
    expect(formFields(answer).param2?.DefaultValue).toBe('A-1042');
    expect(world.initiations.recorded).toEqual([]);
    expect(world.telemetry.counted('TemplateSendThrottled')).toBe(1);
  });

  it("shows WhatsApp's reason when it rejects the message", async () => {
    // Prepare
    const world = templateWorld();
    world.sender.answer.send = async () => {
      throw new TemplateSendError('Rejected', 'ValidationException', 'Parameter format does not match');
    };
    // Act
    const answer = await world.useCase.execute(form());
    // Assess
    expect(answer.outcome).toBe('FAILED');
    expect(answer.formMessage).toContain('Parameter format does not match');
    expect(world.telemetry.counted('TemplateSendFailures', { Reason: 'Rejected' })).toBe(1);
  });

  it('sends nothing and asks for a retry when the template list cannot be checked', async () => {
    // Prepare
    const world = templateWorld();
    world.catalogue.failWith = new RetryableError('ListWhatsAppMessageTemplates throttled', 'Throttled');
    // Act
    const answer = await world.useCase.execute(form());
    // Assess
    expect(answer.outcome).toBe('RETRY');
    expect(world.sender.calls).toEqual([]);
  });

  it('still confirms a sent template when the initiation cannot be recorded', async () => {
    // Prepare
    const world = templateWorld();
    world.initiations.failWith = new Error('table unavailable');
    // Act
    const answer = await world.useCase.execute(form());
    // Assess
    expect(answer).toMatchObject({ outcome: 'SENT', messageId: 'eum-message-1' });
    expect(world.telemetry.counted('AgentInitiationsRecorded')).toBe(0);
    expect(world.telemetry.logs.some((log) => log.level === 'error')).toBe(true);
  });

  it('tells an agent without a known id that the reply goes to the normal queue', async () => {
    // Prepare
    const world = templateWorld();
    const withoutAgent = form({ agent: { armed: false, reason: 'the guide was opened without a chat' } });
    // Act
    const answer = await world.useCase.execute(withoutAgent);
    // Assess
    expect(answer.outcomeDescription).toContain('normal queue');
    expect(world.initiations.recorded[0]?.initiation).not.toHaveProperty('agentId');
  });

  describe('a customer who opted out of marketing messages', () => {
    const OPTED_OUT_AT = Date.parse('2026-11-20T09:30:00Z');
    const PROMO: TemplateDefinition = { ...ORDER_UPDATE, name: 'promo', category: 'MARKETING' };

    function optedOutWorld() {
      const world = templateWorld();
      world.marketing.choices.set(`${SENDER}#447700900123`, {
        state: 'opted-out',
        at: OPTED_OUT_AT,
        source: 'keyword',
      });
      return world;
    }

    it('is not sent a marketing template, and the agent is told to use a utility one or ask for START', async () => {
      // Prepare
      const world = optedOutWorld();
      world.catalogue.templates.push(PROMO);

      // Act
      const answer = await world.useCase.execute(form({ templateKey: 'promo:en_US', mode: 'preview' }));

      // Assess
      expect(answer.outcome).toBe('INVALID');
      expect(answer.formMessage).toContain('opted out of marketing messages on 2026-11-20');
      expect(answer.formMessage).toContain('reply START');
      expect(world.sender.calls).toEqual([]);
      expect(world.telemetry.counted('TemplateFormRejected', { Reason: 'MarketingOptedOut' })).toBe(1);
    });

    it('is not sent a template whose category the catalogue does not give', async () => {
      // Prepare
      const world = optedOutWorld();
      const { category: _none, ...uncategorised } = { ...ORDER_UPDATE, name: 'mystery' };
      world.catalogue.templates.push(uncategorised);

      // Act
      const answer = await world.useCase.execute(form({ templateKey: 'mystery:en_US' }));

      // Assess
      expect(answer.outcome).toBe('INVALID');
      expect(answer.formMessage).toContain('category is unknown');
      expect(world.sender.calls).toEqual([]);
    });

    it('is still sent a utility template without its choice being looked up', async () => {
      // Prepare
      const world = optedOutWorld();
      world.marketing.failReadsWith = new Error('table unreachable');

      // Act
      const answer = await world.useCase.execute(form());

      // Assess
      expect(answer.outcome).toBe('SENT');
    });

    it('asks the agent to press Send again when the choice cannot be read, and sends nothing', async () => {
      // Prepare
      const world = optedOutWorld();
      world.catalogue.templates.push(PROMO);
      world.marketing.failReadsWith = new Error('table unreachable');

      // Act
      const answer = await world.useCase.execute(form({ templateKey: 'promo:en_US' }));

      // Assess
      expect(answer.outcome).toBe('RETRY');
      expect(answer.formMessage).toContain('Nothing was sent');
      expect(world.sender.calls).toEqual([]);
      expect(world.telemetry.counted('TemplateSendFailures', { Reason: 'MarketingChoiceUnreadable' })).toBe(
        1,
      );
    });
  });
});

describe('tracing an agent-initiated template in the logs', () => {
  it('names the guide contact on every log line of a send, and the WhatsApp message id once sent', async () => {
    // Prepare
    const world = templateWorld();
    // Act
    await world.useCase.execute(form({ guideContactId: 'guide-contact-42' }));
    await world.useCase.execute(form({ guideContactId: 'guide-contact-43', whatsAppNumber: '12' }));
    // Assess
    expect(world.telemetry.logs.length).toBeGreaterThanOrEqual(2);
    for (const log of world.telemetry.logs) {
      expect(log.attributes.contactId, log.message).toMatch(/^guide-contact-4[23]$/);
    }
    const sent = world.telemetry.logs.find((log) => log.message === 'Agent-initiated template sent');
    expect(sent?.attributes).toMatchObject({
      contactId: 'guide-contact-42',
      whatsAppMessageId: 'eum-message-1',
    });
  });

  it('logs a failed send with its reason and the guide contact, for the failures-by-reason query', async () => {
    // Prepare
    const world = templateWorld();
    world.sender.answer.send = async () => {
      throw new TemplateSendError('Rejected', 'ValidationException', 'Parameter format does not match');
    };
    // Act
    await world.useCase.execute(form({ guideContactId: 'guide-contact-44' }));
    // Assess
    const failed = world.telemetry.logs.find((log) => log.message === 'Template send failed');
    expect(failed).toMatchObject({
      level: 'error',
      attributes: { contactId: 'guide-contact-44', reason: 'Rejected' },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/customer-data/handler.js';
import type { GuideContext } from '../../../shared/domain/guide-context.js';
import { chooseStepData, emptyFormData } from '../../../shared/domain/template-guide-answers.js';
import type { CustomerReference } from '../../../shared/use-cases/load-template-guide.js';
import { connectLambdaEvent } from '../../support/connect-lambda-events.js';
import { RecordingTelemetry } from '../../support/fakes/telemetry.js';
import type { GuideAnswer } from '../../support/guide-answers.js';

/** The customer-data handler with a stub guide that records each step it is asked for. */
/** The guide was opened on Ana's WhatsApp chat: Connect's records name her as the related contact's customer. */
const ON_ANAS_CHAT: GuideContext = {
  agent: { armed: true, agentId: 'agent-1', from: 'customer contact' },
  customer: { customerId: 'C-100', phoneNumber: '+447700900123', whatsAppUserId: '' },
};

function customerDataHandler(failWith?: Error, context: GuideContext = ON_ANAS_CHAT) {
  const steps: { step: 'choose' | 'form'; reference: CustomerReference; templateKey?: string }[] = [];
  const telemetry = new RecordingTelemetry();
  let flushes = 0;
  const fail = () => {
    if (failWith) throw failWith;
  };
  const realHandler = makeHandler({
    guide: {
      choose: async (reference) => {
        steps.push({ step: 'choose', reference });
        fail();
        return chooseStepData({ customer: undefined, lookedUpBy: '', templates: [] });
      },
      form: async (reference, templateKey) => {
        steps.push({ step: 'form', reference, templateKey });
        fail();
        return emptyFormData({
          customerId: '',
          customerName: 'Ana Souza',
          whatsAppNumber: '',
          templateKey,
          message: '',
        });
      },
    },
    context: async () => context,
    telemetry,
    flush: () => {
      flushes += 1;
    },
  });
  const handler = async (event: unknown) => (await realHandler(event)) as GuideAnswer;
  return { handler, steps, telemetry, flushes: () => flushes };
}

describe('the customer-data handler', () => {
  it('runs the choose step for the customer of the chat the guide was opened on', async () => {
    // Prepare
    const world = customerDataHandler();
    const event = connectLambdaEvent({ step: 'choose' });
    // Act
    const data = await world.handler(event);
    // Assess
    expect(world.steps).toEqual([
      { step: 'choose', reference: { customerId: 'C-100', phoneNumber: '+447700900123' } },
    ]);
    expect(data.cards).toEqual([]);
    expect(world.flushes()).toBe(1);
  });

  it('opens the form for the template whose card button the agent pressed', async () => {
    // Prepare: the Cards view answered actionName, which the flow keeps as whatsAppTemplateChoice.
    const world = customerDataHandler();
    // Act
    await world.handler(connectLambdaEvent({ step: 'form', templateChoice: 'Use order_update (pt_BR)' }));
    // Assess
    expect(world.steps[0]?.templateKey).toBe('order_update:pt_BR');
  });

  it("runs the form step for the chosen template, block parameters winning over the chat's customer", async () => {
    // Prepare
    const world = customerDataHandler();
    const event = connectLambdaEvent(
      { step: 'form', templateKey: 'order_update:en_US', customerId: 'C-200' },
      { customerId: 'C-100' },
    );
    // Act
    await world.handler(event);
    // Assess
    expect(world.steps).toEqual([
      {
        step: 'form',
        reference: { customerId: 'C-200', phoneNumber: '+447700900123' },
        templateKey: 'order_update:en_US',
      },
    ]);
  });

  it('treats an event it cannot read as a choose step with no customer, and says why, rather than failing the flow', async () => {
    // Prepare
    const world = customerDataHandler(undefined, { agent: { armed: false, reason: 'no related contact' } });
    // Act
    await world.handler({ Details: 'not an object' });
    // Assess
    expect(world.steps).toEqual([
      {
        step: 'choose',
        reference: {
          customerId: '',
          phoneNumber: '',
          missingReason: 'No customer chat is linked to this guide (no related contact).',
        },
      },
    ]);
  });

  it('answers a complete choose step with a message when the guide fails', async () => {
    // Prepare
    const world = customerDataHandler(new Error('DynamoDB unavailable'));
    // Act
    const data = await world.handler(connectLambdaEvent({ step: 'choose' }));
    // Assess
    expect(data.customerNotice).toContain('could not be loaded');
    expect(data.templateCount).toBe('0');
    expect(world.telemetry.logs.filter((log) => log.level === 'error')).toHaveLength(1);
    expect(world.flushes()).toBe(1);
  });

  it('answers a form step with the template key kept when the guide fails', async () => {
    // Prepare
    const world = customerDataHandler(new Error('DynamoDB unavailable'));
    // Act
    const data = await world.handler(connectLambdaEvent({ step: 'form', templateKey: 'order_update:en_US' }));
    // Assess
    expect(data.templateKey).toBe('order_update:en_US');
    expect(data.formMessage).toContain('could not be loaded');
  });

  it('escapes what it echoes back even when the guide fails, so the form never hands Connect a "$." value', async () => {
    // Prepare: a choice that is no card button, on a run whose guide step throws.
    const world = customerDataHandler(new Error('DynamoDB unavailable'));
    // Act
    const data = await world.handler(
      connectLambdaEvent({ step: 'form', templateChoice: '$.Attributes.secret' }),
    );
    // Assess
    expect(data.templateKey).toBe('＄.Attributes.secret');
    expect(data.formHeading).toBe('＄.Attributes.secret');
  });
});

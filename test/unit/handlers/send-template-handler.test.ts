import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/send-template/handler.js';
import type { GuideContext } from '../../../shared/domain/guide-context.js';
import type { SendStepAnswer } from '../../../shared/domain/template-guide.js';
import { emptyFormData, sendOutcomeData } from '../../../shared/domain/template-guide-answers.js';
import type { TemplateSendRequest } from '../../../shared/use-cases/template-send-request.js';
import { AGENT_ID, connectLambdaEvent } from '../../support/connect-lambda-events.js';
import { RecordingTelemetry } from '../../support/fakes/telemetry.js';
import { submittedViews } from '../../support/guide-answers.js';

const SENT = sendOutcomeData(
  emptyFormData({ customerId: '', customerName: '', whatsAppNumber: '', templateKey: 'x', message: '' }),
  { outcome: 'SENT' },
);

/** The send-template handler with a stub use case that records each request. */
function sendTemplateHandler(
  failWith?: Error,
  context: GuideContext = { agent: { armed: true, agentId: AGENT_ID, from: 'customer contact' } },
) {
  const requests: TemplateSendRequest[] = [];
  const now = 1_748_854_800_000;
  const telemetry = new RecordingTelemetry();
  const handler = makeHandler({
    sendTemplate: {
      execute: async (request): Promise<SendStepAnswer> => {
        requests.push(request);
        if (failWith) throw failWith;
        return SENT;
      },
    },
    // The guide run's agent and customer, as Connect's contact records give them.
    context: async () => context,
    budgetMs: 7_000,
    now: () => now,
    telemetry,
  });
  return { handler, requests, telemetry, now };
}

describe('the send-template handler', () => {
  it("turns the agent's form into a send request, with the agent Connect's contact records name", async () => {
    // Prepare
    const world = sendTemplateHandler();
    const event = connectLambdaEvent(
      {
        templateKey: 'order_update:en_US',
        views: submittedViews({ whatsAppNumber: '+447700900123', param1: 'Ana', param2: ' A-1042 ' }),
      },
      { customerId: 'C-100', customerName: 'Ana Souza' },
    );
    // Act
    const data = await world.handler(event);
    // Assess
    expect(world.requests).toEqual([
      {
        mode: 'send',
        templateKey: 'order_update:en_US',
        whatsAppNumber: '+447700900123',
        parameters: ['Ana', 'A-1042', '', '', '', '', '', '', '', ''],
        headerMediaUrl: '',
        customerId: 'C-100',
        customerName: 'Ana Souza',
        agent: { armed: true, agentId: AGENT_ID, from: 'customer contact' },
        deadline: world.now + 7_000,
        guideContactId: event.Details.ContactData.ContactId,
      },
    ]);
    expect(data).toEqual(SENT);
  });

  it('refuses to send, saying why, when the form’s values did not arrive readable', async () => {
    // Prepare: $.Views without FormData (the flow reached the send without the Form view's answer).
    const world = sendTemplateHandler();
    const event = connectLambdaEvent({ templateKey: 'order_update:en_US', views: { ViewResultData: '{}' } });
    // Act
    await world.handler(event);
    // Assess
    expect(world.requests[0]?.formProblem).toEqual({
      reason: 'FormMalformed',
      message: expect.stringContaining('Nothing was sent'),
    });
  });

  it('passes the customer’s marketing choice on, so a re-shown form still shows it', async () => {
    // Prepare
    const marketing = { state: 'opted-out', at: 1_700_000_000_000, source: 'meta' } as const;
    const world = sendTemplateHandler(undefined, { agent: { armed: false, reason: 'x' }, marketing });
    // Act
    await world.handler(connectLambdaEvent({ templateKey: 'order_update:en_US', views: submittedViews({}) }));
    // Assess
    expect(world.requests[0]?.marketing).toEqual(marketing);
  });

  it('asks only for a preview when the form says so, and passes on why no agent could be found', async () => {
    // Prepare
    const world = sendTemplateHandler(undefined, { agent: { armed: false, reason: 'no customer chat' } });
    // Act
    await world.handler(connectLambdaEvent({ mode: 'preview' }));
    // Assess
    expect(world.requests[0]?.mode).toBe('preview');
    expect(world.requests[0]?.agent).toEqual({ armed: false, reason: 'no customer chat' });
  });

  it('answers FAILED, keeping what the agent typed, when the send fails unexpectedly', async () => {
    // Prepare
    const world = sendTemplateHandler(new Error('socket hang up'));
    const event = connectLambdaEvent({
      templateKey: 'order_update:en_US',
      views: submittedViews({ whatsAppNumber: '+447700900123' }),
    });
    // Act
    const data = await world.handler(event);
    // Assess
    expect(data).toMatchObject({ outcome: 'FAILED', templateKey: 'order_update:en_US' });
    expect(data.formAttributes).toContainEqual({ Label: 'Sending to', Value: '+44********23' });
    expect(data.formMessage).toContain('Check the customer’s WhatsApp chat before sending again');
    expect(world.telemetry.counted('TemplateSendFailures', { Reason: 'Unexpected' })).toBe(1);
  });

  it('escapes what it echoes back when the send fails unexpectedly', async () => {
    // Prepare
    const world = sendTemplateHandler(new Error('socket hang up'));
    // Act
    const data = await world.handler(
      connectLambdaEvent({
        templateKey: 'order_update:en_US',
        customerName: '$.Customer.Name',
        views: submittedViews({}),
      }),
    );
    // Assess
    expect(data.customerName).toBe('＄.Customer.Name');
  });
});

import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/send-template/handler.js';
import type { GuideData } from '../../../shared/domain/template-guide.js';
import type { TemplateSendRequest } from '../../../shared/use-cases/send-agent-template.js';
import { AGENT_ARN, AGENT_ID, connectLambdaEvent } from '../../support/connect-lambda-events.js';
import { RecordingTelemetry } from '../../support/fakes/telemetry.js';

/** The send-template handler with a stub use case that records each request. */
function sendTemplateHandler(failWith?: Error) {
  const requests: TemplateSendRequest[] = [];
  const telemetry = new RecordingTelemetry();
  const handler = makeHandler({
    sendTemplate: {
      execute: async (request): Promise<GuideData> => {
        requests.push(request);
        if (failWith) throw failWith;
        return { outcome: 'SENT' };
      },
    },
    telemetry,
  });
  return { handler, requests, telemetry };
}

describe('the send-template handler', () => {
  it("turns the agent's form into a send request, with the agent's id from their ARN", async () => {
    // Prepare
    const world = sendTemplateHandler();
    const event = connectLambdaEvent(
      {
        templateKey: 'order_update:en_US',
        whatsAppNumber: '+447700900123',
        param1: 'Ana',
        param2: ' A-1042 ',
        agentArn: AGENT_ARN,
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
        agentId: AGENT_ID,
      },
    ]);
    expect(data).toEqual({ outcome: 'SENT' });
  });

  it('asks only for a preview when the form says so, and leaves out an agent id it cannot read', async () => {
    // Prepare
    const world = sendTemplateHandler();
    // Act
    await world.handler(connectLambdaEvent({ mode: 'preview', agentArn: 'not-an-arn' }));
    // Assess
    expect(world.requests[0]?.mode).toBe('preview');
    expect(world.requests[0]).not.toHaveProperty('agentId');
  });

  it('answers FAILED, keeping what the agent typed, when the send fails unexpectedly', async () => {
    // Prepare
    const world = sendTemplateHandler(new Error('socket hang up'));
    const event = connectLambdaEvent({ templateKey: 'order_update:en_US', whatsAppNumber: '+447700900123' });
    // Act
    const data = await world.handler(event);
    // Assess
    expect(data).toMatchObject({
      outcome: 'FAILED',
      templateKey: 'order_update:en_US',
      whatsAppNumber: '+447700900123',
    });
    expect(data.formMessage).toContain('Check the customer’s WhatsApp chat before sending again');
    expect(world.telemetry.counted('TemplateSendFailures', { Reason: 'Unexpected' })).toBe(1);
  });
});

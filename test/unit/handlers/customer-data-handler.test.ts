import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/customer-data/handler.js';
import type { GuideData } from '../../../shared/domain/template-guide.js';
import type { CustomerReference } from '../../../shared/use-cases/load-template-guide.js';
import { connectLambdaEvent } from '../../support/connect-lambda-events.js';
import { RecordingTelemetry } from '../../support/fakes/telemetry.js';

/** The customer-data handler with a stub guide that records each step it is asked for. */
function customerDataHandler(failWith?: Error) {
  const steps: { step: 'choose' | 'form'; reference: CustomerReference; templateKey?: string }[] = [];
  const telemetry = new RecordingTelemetry();
  let flushes = 0;
  const answer = async (): Promise<GuideData> => {
    if (failWith) throw failWith;
    return { customerName: 'Ana Souza' };
  };
  const handler = makeHandler({
    guide: {
      choose: async (reference) => {
        steps.push({ step: 'choose', reference });
        return answer();
      },
      form: async (reference, templateKey) => {
        steps.push({ step: 'form', reference, templateKey });
        return answer();
      },
    },
    telemetry,
    flush: () => {
      flushes += 1;
    },
  });
  return { handler, steps, telemetry, flushes: () => flushes };
}

describe('the customer-data handler', () => {
  it("runs the choose step for the contact's customer, reading the contact attributes", async () => {
    // Prepare
    const world = customerDataHandler();
    const event = connectLambdaEvent(
      { step: 'choose' },
      { customerId: 'C-100', customerPhoneNumber: '+447700900123' },
    );
    // Act
    const data = await world.handler(event);
    // Assess
    expect(world.steps).toEqual([
      { step: 'choose', reference: { customerId: 'C-100', phoneNumber: '+447700900123' } },
    ]);
    expect(data).toEqual({ customerName: 'Ana Souza' });
    expect(world.flushes()).toBe(1);
  });

  it('runs the form step for the chosen template, block parameters winning over attributes', async () => {
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
        reference: { customerId: 'C-200', phoneNumber: '' },
        templateKey: 'order_update:en_US',
      },
    ]);
  });

  it('treats an event it cannot read as a choose step with no customer, rather than failing the flow', async () => {
    // Prepare
    const world = customerDataHandler();
    // Act
    await world.handler({ Details: 'not an object' });
    // Assess
    expect(world.steps).toEqual([{ step: 'choose', reference: { customerId: '', phoneNumber: '' } }]);
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
});

import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/customer-data/handler.js';
import { chooseStepData } from '../../shared/domain/template-guide.js';
import { connectLambdaEvent } from '../support/connect-lambda-events.js';

const telemetry = { count() {}, info() {}, warn() {}, error() {} } as never;

describe('text shown in a guide view is never read as flow data', () => {
  it('shows a customer whose name starts with "$." with a full-width dollar, not as a reference', async () => {
    // Prepare: a CRM record whose name looks like a JSONPath reference.
    const data = chooseStepData({ customer: undefined, lookedUpBy: '', templates: [] });
    const handler = makeHandler({
      guide: {
        choose: async () => ({ ...data, customerName: '$.Attributes.secret' }),
        form: async () => data,
      },
      context: async () => ({ agent: { armed: false, reason: 'test' } }),
      telemetry,
    });

    // Act
    const result = await handler(connectLambdaEvent({ step: 'choose' }));

    // Assess
    expect(result.customerName).toBe('＄.Attributes.secret');
    expect(Object.values(result).some((value) => value.startsWith('$.'))).toBe(false);
  });
});

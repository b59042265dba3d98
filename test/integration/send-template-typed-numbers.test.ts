import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectLambdaEvent } from '../support/connect-lambda-events.js';
import { submittedViews } from '../support/guide-answers.js';
import { startTemplateEnvironment, type TemplateEnvironment } from '../support/template-environment.js';

/** The send-template block's parameters for `welcome_back`, with the number as the agent typed it. */
function submitTyped(whatsAppNumber: string) {
  return connectLambdaEvent({
    mode: 'send',
    templateKey: 'welcome_back:en_US',
    customerId: 'C-1002',
    customerName: 'Sam Taylor',
    views: submittedViews({ whatsAppNumber }),
  });
}

describe('send-template: WhatsApp numbers as agents type them', () => {
  let env: TemplateEnvironment;

  beforeEach(async () => {
    env = await startTemplateEnvironment();
  });

  afterEach(async () => {
    await env.stop();
  });

  it('sends to +447700900123 when the agent types the UK trunk zero as "+44 (0) 7700 900123"', async () => {
    // Prepare
    const typed = '+44 (0) 7700 900123';

    // Act
    const result = await env.sendTemplate(submitTyped(typed));

    // Assess
    expect(result.outcome).toBe('SENT');
    expect(env.eum.sent[0]?.message.to).toBe('+447700900123');
  });
});

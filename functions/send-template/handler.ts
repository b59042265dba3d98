import { decodeConnectFlowEvent } from '../../shared/decoders/connect-flow-event.js';
import { agentIdFrom } from '../../shared/domain/agent-initiation.js';
import {
  emptyFormData,
  type GuideData,
  MAX_FORM_PARAMETERS,
  sendOutcomeData,
} from '../../shared/domain/template-guide.js';
import type { Telemetry } from '../../shared/ports/telemetry.js';
import type { TemplateSendRequest } from '../../shared/use-cases/send-agent-template.js';

/** What the send-template handler needs; built once in index.ts, or by a test. */
export interface SendTemplateHandlerDependencies {
  readonly sendTemplate: { execute(request: TemplateSendRequest): Promise<GuideData> };
  readonly telemetry: Telemetry;
  /** Called once per invocation, to flush metrics. */
  readonly flush?: () => void;
}

/**
 * Connect "Invoke AWS Lambda function" (STRING_MAP) → validate and send (or preview) a template.
 * Inputs: `mode`, `templateKey`, `whatsAppNumber`, `param1`…`param10`, `headerMedia`,
 * `customerId`, `customerName`, and `agentArn` (`$.Agent.ARN`) or `agentId`.
 * Always answers the full form plus `outcome`; an unexpected error becomes outcome FAILED.
 */
export function makeHandler(deps: SendTemplateHandlerDependencies) {
  return async (event: unknown): Promise<GuideData> => {
    const input = decodeConnectFlowEvent(event);
    const agentId = agentIdFrom(input.get('agentId')) ?? agentIdFrom(input.get('agentArn'));
    const request: TemplateSendRequest = {
      mode: input.get('mode') === 'preview' ? 'preview' : 'send',
      templateKey: input.get('templateKey'),
      whatsAppNumber: input.get('whatsAppNumber'),
      parameters: Array.from({ length: MAX_FORM_PARAMETERS }, (_, index) => input.get(`param${index + 1}`)),
      headerMediaUrl: input.get('headerMedia'),
      customerId: input.get('customerId'),
      customerName: input.get('customerName'),
      ...(agentId ? { agentId } : {}),
    };
    try {
      return await deps.sendTemplate.execute(request);
    } catch (error) {
      deps.telemetry.count('TemplateSendFailures', { Reason: 'Unexpected' });
      deps.telemetry.error('Template send step failed unexpectedly', {
        contactId: input.contactId,
        error: error instanceof Error ? error.message : String(error),
      });
      const form = emptyFormData({
        customerId: request.customerId,
        customerName: request.customerName,
        whatsAppNumber: request.whatsAppNumber,
        templateKey: request.templateKey,
        message:
          'Something went wrong before the message could be confirmed. Check the customer’s WhatsApp chat before sending again.',
      });
      return sendOutcomeData(form, { outcome: 'FAILED' });
    } finally {
      deps.flush?.();
    }
  };
}

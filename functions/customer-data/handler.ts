import { decodeConnectFlowEvent } from '../../shared/decoders/connect-flow-event.js';
import { chooseStepData, emptyFormData, type GuideData } from '../../shared/domain/template-guide.js';
import type { Telemetry } from '../../shared/ports/telemetry.js';
import type { CustomerReference } from '../../shared/use-cases/load-template-guide.js';

/** What the customer-data handler needs; built once in index.ts, or by a test. */
export interface CustomerDataHandlerDependencies {
  readonly guide: {
    choose(reference: CustomerReference): Promise<GuideData>;
    form(reference: CustomerReference, templateKey: string): Promise<GuideData>;
  };
  readonly telemetry: Telemetry;
  /** Called once per invocation, to flush metrics. */
  readonly flush?: () => void;
}

/**
 * Connect "Invoke AWS Lambda function" (STRING_MAP) → the guide's choose or form step. Inputs come
 * from the block's parameters, falling back to contact attributes: `step` (`choose` | `form`),
 * `customerId`, `customerPhoneNumber`, `templateKey`. Always answers a complete flat string map,
 * never an error: the flow would only show the agent a generic failure.
 */
export function makeHandler(deps: CustomerDataHandlerDependencies) {
  return async (event: unknown): Promise<GuideData> => {
    const input = decodeConnectFlowEvent(event);
    const reference = { customerId: input.get('customerId'), phoneNumber: input.get('customerPhoneNumber') };
    const step = input.get('step') === 'form' ? 'form' : 'choose';
    try {
      return step === 'form'
        ? await deps.guide.form(reference, input.get('templateKey'))
        : await deps.guide.choose(reference);
    } catch (error) {
      deps.telemetry.error('Guide step failed', {
        step,
        contactId: input.contactId,
        error: error instanceof Error ? error.message : String(error),
      });
      const message =
        'The customer data could not be loaded. Press “Start over”; if it keeps failing, tell an administrator.';
      return step === 'form'
        ? emptyFormData({
            ...reference,
            customerName: '',
            whatsAppNumber: '',
            templateKey: input.get('templateKey'),
            message,
          })
        : chooseStepData({ customer: undefined, lookedUpBy: '', templates: [], notice: message });
    } finally {
      deps.flush?.();
    }
  };
}

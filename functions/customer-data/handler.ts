import { decodeConnectFlowEvent } from '../../shared/decoders/connect-flow-event.js';
import type { MarketingPreference } from '../../shared/domain/customer-choices.js';
import type { GuideContext } from '../../shared/domain/guide-context.js';
import {
  type ChooseStepAnswer,
  type FormStepAnswer,
  templateKeyFromAction,
} from '../../shared/domain/template-guide.js';
import { chooseStepData, emptyFormData } from '../../shared/domain/template-guide-answers.js';
import { escapeViewData } from '../../shared/domain/view-data.js';
import type { Telemetry } from '../../shared/ports/telemetry.js';
import type { CustomerReference } from '../../shared/use-cases/load-template-guide.js';

/** What the customer-data handler needs; built once in index.ts, or by a test. */
export interface CustomerDataHandlerDependencies {
  readonly guide: {
    choose(reference: CustomerReference): Promise<ChooseStepAnswer>;
    form(
      reference: CustomerReference,
      templateKey: string,
      marketing?: MarketingPreference,
    ): Promise<FormStepAnswer>;
  };
  /** The guide run's customer and agent, from Connect's contact records (DescribeContact). */
  readonly context: (guideContactId: string) => Promise<GuideContext>;
  readonly telemetry: Telemetry;
  /** Called once per invocation, to flush metrics. */
  readonly flush?: () => void;
}

/**
 * Connect "Invoke AWS Lambda function" (ResponseType JSON) → the guide's choose or form step.
 * Inputs: `step` (`choose` | `form`), the chosen template as `templateChoice` (the Cards view's
 * `actionName`) or `templateKey`, and the customer: `customerId` / `customerPhoneNumber` when the
 * block passes them, else the attributes of the customer chat the guide is related to (a guide
 * contact carries none of its own). Always answers the step's complete data, every string escaped
 * for the view, never an error: the flow would only show the agent a generic failure.
 */
export function makeHandler(deps: CustomerDataHandlerDependencies) {
  return async (event: unknown): Promise<ChooseStepAnswer | FormStepAnswer> => {
    const input = decodeConnectFlowEvent(event);
    const step = input.get('step') === 'form' ? 'form' : 'choose';
    const context = await deps.context(input.contactId);
    const reference = {
      customerId: input.get('customerId') || (context.customer?.customerId ?? ''),
      phoneNumber: input.get('customerPhoneNumber') || (context.customer?.phoneNumber ?? ''),
      ...(context.customer ? {} : { missingReason: whyNoCustomer(context) }),
    };
    const choice = input.get('templateChoice');
    const chosenKey = input.get('templateKey') || (templateKeyFromAction(choice) ?? choice);
    try {
      return escapeViewData(
        step === 'form'
          ? await deps.guide.form(reference, chosenKey, context.marketing)
          : await deps.guide.choose(reference),
      );
    } catch (error) {
      deps.telemetry.error('Guide step failed', {
        step,
        contactId: input.contactId,
        error: error instanceof Error ? error.message : String(error),
      });
      const message =
        'The customer data could not be loaded. Press “Start over”; if it keeps failing, tell an administrator.';
      return escapeViewData(
        step === 'form'
          ? emptyFormData({
              ...reference,
              customerName: '',
              whatsAppNumber: '',
              templateKey: chosenKey,
              message,
              ...(context.marketing ? { marketing: context.marketing } : {}),
            })
          : chooseStepData({ customer: undefined, lookedUpBy: '', templates: [], notice: message }),
      );
    } finally {
      deps.flush?.();
    }
  };
}

function whyNoCustomer(context: GuideContext): string {
  return context.agent.armed
    ? 'The customer chat has no WhatsApp customer on it.'
    : `No customer chat is linked to this guide (${context.agent.reason}).`;
}

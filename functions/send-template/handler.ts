import { decodeConnectFlowEvent } from '../../shared/decoders/connect-flow-event.js';
import type { GuideContext } from '../../shared/domain/guide-context.js';
import { readGuideForm } from '../../shared/domain/guide-form-result.js';
import { MAX_FORM_PARAMETERS, type SendStepAnswer } from '../../shared/domain/template-guide.js';
import { emptyFormData, sendOutcomeData } from '../../shared/domain/template-guide-answers.js';
import { escapeViewData } from '../../shared/domain/view-data.js';
import type { Telemetry } from '../../shared/ports/telemetry.js';
import type { TemplateSendRequest } from '../../shared/use-cases/template-send-request.js';

/** What the send-template handler needs; built once in index.ts, or by a test. */
export interface SendTemplateHandlerDependencies {
  readonly sendTemplate: { execute(request: TemplateSendRequest): Promise<SendStepAnswer> };
  /** The guide run's customer and agent, from Connect's contact records (DescribeContact). */
  readonly context: (guideContactId: string) => Promise<GuideContext>;
  /**
   * How long the function may take, in ms, so it answers before the flow stops waiting (the
   * flow's InvocationTimeLimitSeconds): a send is not started when less than that is left.
   */
  readonly budgetMs: number;
  readonly now: () => number;
  readonly telemetry: Telemetry;
  /** Called once per invocation, to flush metrics. */
  readonly flush?: () => void;
}

/**
 * Connect "Invoke AWS Lambda function" (ResponseType JSON) → validate and send (or preview) a
 * template. Inputs: `mode`, `templateKey`, `customerId`, `customerName`, and `views` (`$.Views`):
 * the Form view's `FormData` with `whatsAppNumber`, `headerMedia` and `param1`…`paramN`. The agent
 * is not an input: agent attributes do not exist in a guide's flow, so the agent is read from the
 * customer contact the guide is related to. Always answers the full form plus `outcome`, every
 * string escaped for the view; an unreadable form is refused with a message (counted), and an
 * unexpected error becomes outcome FAILED.
 */
export function makeHandler(deps: SendTemplateHandlerDependencies) {
  return async (
    event: unknown,
    lambdaContext?: { getRemainingTimeInMillis(): number },
  ): Promise<SendStepAnswer> => {
    const started = deps.now();
    const input = decodeConnectFlowEvent(event);
    const remaining = Math.min(deps.budgetMs, lambdaContext?.getRemainingTimeInMillis() ?? deps.budgetMs);
    const context = await deps.context(input.contactId);
    const form = readGuideForm(input.raw('views'));
    const field = (name: string) => (form.ok ? (form.fields[name] ?? '') : '');
    const request: TemplateSendRequest = {
      mode: input.get('mode') === 'preview' ? 'preview' : 'send',
      templateKey: input.get('templateKey'),
      whatsAppNumber: field('whatsAppNumber'),
      parameters: Array.from({ length: MAX_FORM_PARAMETERS }, (_, index) => field(`param${index + 1}`)),
      headerMediaUrl: field('headerMedia'),
      customerId: input.get('customerId'),
      customerName: input.get('customerName'),
      agent: context.agent,
      ...(context.customer ? { customerOnContact: context.customer } : {}),
      ...(context.marketing ? { marketing: context.marketing } : {}),
      ...(form.ok ? {} : { formProblem: { reason: `Form${form.reason}`, message: form.problem } }),
      deadline: started + remaining,
      guideContactId: input.contactId,
    };
    try {
      return escapeViewData(await deps.sendTemplate.execute(request));
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
        ...(request.marketing ? { marketing: request.marketing } : {}),
      });
      return escapeViewData(sendOutcomeData(form, { outcome: 'FAILED' }));
    } finally {
      deps.flush?.();
    }
  };
}

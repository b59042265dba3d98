/**
 * What the agent submitted on the guide's form, and that form as a send re-shows it: with the
 * agent's values kept and the message of the check or send on top.
 */
import type { MarketingPreference } from '../domain/customer-choices.js';
import type { CustomerOnContact, GuideAgent } from '../domain/guide-context.js';
import type { FormStepAnswer } from '../domain/template-guide.js';
import { emptyFormData, formStepData } from '../domain/template-guide-answers.js';
import type { TemplateDefinition } from '../domain/whatsapp-template.js';

/** What the agent submitted on the form. */
export interface TemplateSendRequest {
  /** `send` sends; `preview` validates and refreshes the preview only. */
  readonly mode: 'send' | 'preview';
  readonly templateKey: string;
  readonly whatsAppNumber: string;
  readonly parameters: readonly string[];
  readonly headerMediaUrl: string;
  readonly customerId: string;
  readonly customerName: string;
  /** Who sent it, as Connect's contact records tell; `armed: false` says why a reply cannot come back. */
  readonly agent: GuideAgent;
  /** The customer of the chat the guide was opened on, if any: their BSUID keys the conversation. */
  readonly customerOnContact?: CustomerOnContact;
  /** Epoch ms by which the answer must be back with the flow. */
  readonly deadline: number;
  /** The customer's recorded marketing choice, shown again on a re-shown form. */
  readonly marketing?: MarketingPreference;
  /** Why the form's values could not be read (shared/domain/guide-form-result.ts); nothing is sent. */
  readonly formProblem?: { readonly reason: string; readonly message: string };
  /** The guide's own contact (the Lambda event's ContactId): the correlation key of every log line. */
  readonly guideContactId: string;
}

/** The form for the chosen template, re-shown with the agent's values and `message`. */
export function reshownForm(
  request: TemplateSendRequest,
  template: TemplateDefinition,
  message: string,
): FormStepAnswer {
  return formStepData({
    ...(request.marketing ? { marketing: request.marketing } : {}),
    customer: undefined,
    customerId: request.customerId,
    customerName: request.customerName,
    template,
    whatsAppNumber: request.whatsAppNumber,
    parameters: request.parameters,
    headerMediaUrl: request.headerMediaUrl,
    message,
  });
}

/** The form when no template can be shown (not found, or the catalogue failed): only the message. */
export function reshownEmptyForm(request: TemplateSendRequest, message: string): FormStepAnswer {
  return emptyFormData({
    ...(request.marketing ? { marketing: request.marketing } : {}),
    customerId: request.customerId,
    customerName: request.customerName,
    whatsAppNumber: request.whatsAppNumber,
    templateKey: request.templateKey,
    message: `${message} Press “Choose another template”.`,
  });
}

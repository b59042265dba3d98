import type { AttributeBarItem, DetailSection, FormViewSection, TemplateCard } from './managed-views.js';
import { templateKey } from './whatsapp-template.js';

/**
 * The contract between the guide's Lambdas, its flow and Connect's AWS managed views: the JSON each
 * step returns (InvokeLambdaFunction with ResponseType JSON, so arrays and objects reach the flow)
 * and so the `$.External.*` keys the flow may read. The choose step fills the Cards view, the form
 * step the Form view, a send the Detail view; each sizes itself from the data. The flow checker
 * test reads the key lists; the handlers build their answers only through
 * template-guide-answers.ts.
 */

/** Cards offered at once: the ShowView block asks for inputs of 16 KB or less (ShowView reference). */
export const MAX_TEMPLATE_OPTIONS = 12;
/** Values one template may ask for; templates with more are not offered (the form stays usable). */
export const MAX_FORM_PARAMETERS = 10;

/** What the choose step answers: the customer and one card per sendable template. */
export type ChooseStepAnswer = {
  readonly customerId: string;
  readonly customerName: string;
  readonly customerPhoneNumber: string;
  readonly whatsAppNumberMasked: string;
  readonly customerNotice: string;
  /** Decimal count of cards, for the flow's "nothing to send" branch. */
  readonly templateCount: string;
  readonly chooseHeading: string;
  readonly chooseAttributes: readonly AttributeBarItem[];
  readonly cards: readonly TemplateCard[];
};

/** What the form step answers (and every send re-shows): the Form view's data. */
export type FormStepAnswer = {
  readonly customerId: string;
  readonly customerName: string;
  readonly templateKey: string;
  readonly formHeading: string;
  /** The message of the last check or send; the instruction when there is none. */
  readonly formSubHeading: string;
  readonly formMessage: string;
  readonly previewText: string;
  readonly marketing: string;
  readonly formAttributes: readonly AttributeBarItem[];
  readonly formSections: readonly FormViewSection[];
};

/** Outcomes of send-template; the flow branches on `SENT`, everything else returns to the form. */
export type SendOutcome = 'SENT' | 'PREVIEW' | 'INVALID' | 'RETRY' | 'FAILED' | 'UNCONFIRMED';

/** send-template's answer: the form as it should be re-shown, and what happened. */
export type SendStepAnswer = FormStepAnswer & {
  readonly outcome: SendOutcome;
  readonly messageId: string;
  readonly outcomeHeading: string;
  readonly outcomeDescription: string;
  readonly outcomeSections: readonly DetailSection[];
};

export const CHOOSE_STEP_KEYS = [
  'customerId',
  'customerName',
  'customerPhoneNumber',
  'whatsAppNumberMasked',
  'customerNotice',
  'templateCount',
  'chooseHeading',
  'chooseAttributes',
  'cards',
] as const satisfies readonly (keyof ChooseStepAnswer)[];

export const FORM_STEP_KEYS = [
  'customerId',
  'customerName',
  'templateKey',
  'formHeading',
  'formSubHeading',
  'formMessage',
  'previewText',
  'marketing',
  'formAttributes',
  'formSections',
] as const satisfies readonly (keyof FormStepAnswer)[];

export const SEND_OUTCOME_KEYS = [
  'outcome',
  'messageId',
  'outcomeHeading',
  'outcomeDescription',
  'outcomeSections',
] as const satisfies readonly (keyof SendStepAnswer)[];

/**
 * The keys a guide Lambda answers, by function and `step` parameter: the one list the flow checker
 * holds the flow to (and the integration tests hold the handlers to).
 */
export function guideResponseKeys(
  functionName: 'customer-data' | 'send-template',
  step: string | undefined,
): readonly string[] | undefined {
  if (functionName === 'send-template') return [...FORM_STEP_KEYS, ...SEND_OUTCOME_KEYS];
  if (step === 'choose') return CHOOSE_STEP_KEYS;
  if (step === 'form') return FORM_STEP_KEYS;
  return undefined;
}

/**
 * The button on a template's opened card. The Cards view answers the chosen button's text as
 * `actionName`, so the text names the template exactly (Meta names are `[a-z0-9_]`).
 */
export function templateAction(template: { name: string; language: string }): string {
  return `Use ${template.name} (${template.language})`;
}

/** The template key a card button stands for; undefined for any other text. */
export function templateKeyFromAction(action: string): string | undefined {
  const match = /^Use ([a-z0-9_]+) \(([A-Za-z_]+)\)$/.exec(action.trim());
  return match ? templateKey({ name: match[1] as string, language: match[2] as string }) : undefined;
}

import type { CustomerRecord } from './customer.js';
import { defaultParameterValue } from './customer.js';
import type { MarketingPreference } from './customer-choices.js';
import {
  type AttributeBarItem,
  attribute,
  type DetailSection,
  escapeMarkup,
  type FormInputItem,
  type FormViewSection,
  formInput,
  type TemplateCard,
} from './managed-views.js';
import { describeMarketing } from './marketing-display.js';
import { maskPhoneNumber } from './masking.js';
import {
  renderPreview,
  type TemplateDefinition,
  templateKey,
  templateParameters,
} from './whatsapp-template.js';

/**
 * The contract between the guide's Lambdas, its flow and Connect's AWS managed views: the JSON each
 * step returns (InvokeLambdaFunction with ResponseType JSON, so arrays and objects reach the flow)
 * and so the `$.External.*` keys the flow may read. The choose step fills the Cards view, the form
 * step the Form view, a send the Detail view; each sizes itself from the data. The flow checker
 * test reads the key lists; the handlers build their answers only through the functions below.
 */

/** Cards offered at once: the ShowView block asks for inputs of 16 KB or less (ShowView reference). */
export const MAX_TEMPLATE_OPTIONS = 12;
/** Values one template may ask for; templates with more are not offered (the form stays usable). */
export const MAX_FORM_PARAMETERS = 10;

const SUMMARY_PREVIEW_MAX = 120;
const DETAIL_PREVIEW_MAX = 400;

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

/** What the choose step shows: the customer, and one card per sendable template. */
export function chooseStepData(input: {
  customer: CustomerRecord | undefined;
  lookedUpBy: string;
  /** Why there is no customer to look up (no customer chat behind the guide). */
  missingReason?: string;
  phoneNumberHint?: string;
  templates: readonly TemplateDefinition[];
  notice?: string;
}): ChooseStepAnswer {
  const { customer } = input;
  const phone = customer?.phoneNumber ?? input.phoneNumberHint ?? '';
  const notice = [
    customer
      ? ''
      : input.lookedUpBy
        ? `No customer record matches ${input.lookedUpBy}. You can still send: type the WhatsApp number on the next step.`
        : `This contact has no customer id or number.${input.missingReason ? ` ${input.missingReason}` : ''} Pick a template, then type the WhatsApp number on the next step.`,
    input.notice ?? '',
    input.templates.length === 0
      ? 'No approved WhatsApp template can be sent from here. Ask an administrator.'
      : '',
  ]
    .filter(Boolean)
    .join(' ');
  const name = customer?.name ?? 'Unknown customer';
  const masked = phone ? maskPhoneNumber(phone) : 'no number on record';
  return {
    customerId: customer?.customerId ?? '',
    customerName: name,
    customerPhoneNumber: phone,
    whatsAppNumberMasked: masked,
    customerNotice: notice,
    templateCount: String(input.templates.length),
    chooseHeading: customer ? `Send a WhatsApp template to ${name}` : 'Send a WhatsApp template',
    chooseAttributes: [
      attribute('Customer', name),
      attribute('WhatsApp number', masked),
      ...(notice ? [attribute('Note', notice)] : []),
    ],
    cards: input.templates.map(templateCard),
  };
}

function templateCard(template: TemplateDefinition, index: number): TemplateCard {
  const heading = `${template.name} (${template.language})`;
  const preview = renderPreview(template, { parameters: [] });
  return {
    Summary: {
      Id: `template-${index + 1}`,
      Heading: heading,
      Status: template.category ? capitalise(template.category.toLowerCase()) : '',
      Description: truncate(preview, SUMMARY_PREVIEW_MAX),
    },
    Detail: {
      Heading: heading,
      Description: truncate(preview, DETAIL_PREVIEW_MAX),
      Sections: {
        TemplateString: `<p>${escapeMarkup(`Press “${templateAction(template)}” to fill in its values, check them and send it.`)}</p>`,
      },
      Actions: [templateAction(template)],
    },
  };
}

/** What the form step shows for one template: its fields, labelled and pre-filled, and the preview. */
export function formStepData(input: {
  customer: CustomerRecord | undefined;
  customerName?: string;
  customerId?: string;
  template: TemplateDefinition;
  whatsAppNumber: string;
  /** The agent's values when re-showing the form; customer defaults when undefined. */
  parameters?: readonly string[];
  headerMediaUrl?: string;
  message: string;
  marketing?: MarketingPreference;
}): FormStepAnswer {
  const { template, customer } = input;
  const parameters = templateParameters(template);
  const values = parameters.map(
    (parameter) =>
      input.parameters?.[parameter.slot - 1] ?? defaultParameterValue(customer, template, parameter),
  );
  const header = template.header;
  const media = header?.format === 'IMAGE' || header?.format === 'VIDEO' || header?.format === 'DOCUMENT';
  const headerMediaUrl =
    input.headerMediaUrl ?? (media ? (customer?.attributes[`${template.name}.headerMedia`] ?? '') : '');
  const previewText = renderPreview(template, { parameters: values, headerMediaUrl });
  const fields: FormInputItem[] = [
    formInput(
      'whatsAppNumber',
      'WhatsApp number (international format, e.g. +447700900123)',
      input.whatsAppNumber,
    ),
    ...(media
      ? [formInput('headerMedia', `${capitalise(header.format.toLowerCase())} link (https)`, headerMediaUrl)]
      : []),
    ...parameters.map((parameter, index) =>
      formInput(
        `param${parameter.slot}`,
        parameter.example ? `${parameter.label} (e.g. ${parameter.example})` : parameter.label,
        values[index] ?? '',
      ),
    ),
  ];
  const heading = `${template.name} (${template.language}${template.category ? `, ${template.category.toLowerCase()}` : ''})`;
  return formAnswer({
    customerId: customer?.customerId ?? input.customerId ?? '',
    customerName: customer?.name ?? input.customerName ?? '',
    templateKey: templateKey(template),
    heading,
    whatsAppNumber: input.whatsAppNumber,
    message: input.message,
    previewText,
    marketing: input.marketing,
    sections: [
      {
        Type: 'DataSection',
        Heading: 'Preview',
        IsEditable: false,
        Items: [attribute('Message', previewText)],
      },
      { Type: 'FormSection', Heading: 'Values', Items: fields },
    ],
  });
}

/** A form with no template (the template vanished from the catalogue): only the message shows. */
export function emptyFormData(input: {
  customerId: string;
  customerName: string;
  whatsAppNumber: string;
  templateKey: string;
  message: string;
  marketing?: MarketingPreference;
}): FormStepAnswer {
  return formAnswer({
    ...input,
    heading: input.templateKey || 'WhatsApp template',
    previewText: '',
    sections: [
      {
        Type: 'DataSection',
        Heading: 'Nothing can be sent with this template',
        IsEditable: false,
        Items: [attribute('What to do', input.message)],
      },
    ],
  });
}

function formAnswer(input: {
  customerId: string;
  customerName: string;
  templateKey: string;
  heading: string;
  whatsAppNumber: string;
  message: string;
  previewText: string;
  marketing?: MarketingPreference | undefined;
  sections: readonly FormViewSection[];
}): FormStepAnswer {
  const marketing = describeMarketing(input.marketing);
  const name = input.customerName || 'Unknown customer';
  return {
    customerId: input.customerId,
    customerName: name,
    templateKey: input.templateKey,
    formHeading: input.heading,
    formSubHeading: input.message || 'Check the number and each value, then press Send.',
    formMessage: input.message,
    previewText: input.previewText,
    marketing: marketing.text,
    formAttributes: [
      attribute('Customer', name),
      attribute('Sending to', input.whatsAppNumber ? maskPhoneNumber(input.whatsAppNumber) : 'no number yet'),
      attribute(marketing.label, marketing.value),
    ],
    formSections: input.sections,
  };
}

/** send-template's answer: the form as it should be re-shown, plus the outcome. */
export function sendOutcomeData(
  form: FormStepAnswer,
  outcome: {
    outcome: SendOutcome;
    messageId?: string;
    heading?: string;
    description?: string;
    sections?: readonly DetailSection[];
  },
): SendStepAnswer {
  return {
    ...form,
    outcome: outcome.outcome,
    messageId: outcome.messageId ?? '',
    outcomeHeading: outcome.heading ?? '',
    outcomeDescription: outcome.description ?? '',
    outcomeSections: outcome.sections ?? [],
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

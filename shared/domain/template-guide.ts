import type { CustomerRecord } from './customer.js';
import { defaultParameterValue } from './customer.js';
import { maskPhoneNumber } from './masking.js';
import {
  renderPreview,
  type TemplateDefinition,
  templateKey,
  templateParameters,
} from './whatsapp-template.js';

/**
 * The contract between the guide's Lambdas, its flow and its views: the flat string map each step
 * returns (Connect's STRING_MAP) and so the `$.External.*` keys the flow may read. The flow checker
 * test reads these lists; the handlers build their responses only through the functions below.
 *
 * A view cannot add fields at run time, so the guide has two steps with a fixed number of slots:
 * up to MAX_TEMPLATE_OPTIONS template cards, then up to MAX_FORM_PARAMETERS value fields. Unused
 * slots get an empty `…Visible` value, which the views bind to `Visibility`.
 */
export const MAX_TEMPLATE_OPTIONS = 8;
export const MAX_FORM_PARAMETERS = 10;

/** A truthy / falsy string for a view's `Visibility` (an empty string is falsy). */
const visible = (shown: boolean) => (shown ? 'true' : '');

const range = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

/** Keys of the choose step (customer-data, `step` = `choose`). */
export const CHOOSE_STEP_KEYS: readonly string[] = [
  'customerId',
  'customerName',
  'customerPhoneNumber',
  'whatsAppNumberMasked',
  'customerNotice',
  'templateCount',
  ...range(MAX_TEMPLATE_OPTIONS).flatMap((i) => [
    `templateOption${i}Key`,
    `templateOption${i}Heading`,
    `templateOption${i}Description`,
    `templateOption${i}Visible`,
  ]),
];

/** Keys of the form step (customer-data `step` = `form`, and every send-template answer). */
export const FORM_STEP_KEYS: readonly string[] = [
  'customerId',
  'customerName',
  'templateKey',
  'templateHeading',
  'whatsAppNumber',
  'whatsAppNumberHint',
  'formMessage',
  'previewText',
  'headerMediaLabel',
  'headerMediaValue',
  'headerMediaVisible',
  ...range(MAX_FORM_PARAMETERS).flatMap((i) => [
    `param${i}Label`,
    `param${i}Value`,
    `param${i}Hint`,
    `param${i}Visible`,
  ]),
];

/** Keys send-template adds: what happened, and the confirmation text. */
export const SEND_OUTCOME_KEYS: readonly string[] = [
  'outcome',
  'messageId',
  'outcomeHeading',
  'outcomeDescription',
];

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

/** Outcomes of send-template; the flow branches on `SENT`, everything else returns to the form. */
export type SendOutcome = 'SENT' | 'PREVIEW' | 'INVALID' | 'RETRY' | 'FAILED' | 'UNCONFIRMED';

export type GuideData = Record<string, string>;

/** What the choose step shows: the customer, and one card per sendable template. */
export function chooseStepData(input: {
  customer: CustomerRecord | undefined;
  lookedUpBy: string;
  /** Why there is no customer to look up (no customer chat behind the guide). */
  missingReason?: string;
  phoneNumberHint?: string;
  templates: readonly TemplateDefinition[];
  notice?: string;
}): GuideData {
  const { customer } = input;
  const phone = customer?.phoneNumber ?? input.phoneNumberHint ?? '';
  const notices = [
    customer
      ? ''
      : input.lookedUpBy
        ? `No customer record matches ${input.lookedUpBy}. You can still send: type the WhatsApp number on the next step.`
        : `This contact has no customer id or number.${input.missingReason ? ` ${input.missingReason}` : ''} Pick a template, then type the WhatsApp number on the next step.`,
    input.notice ?? '',
    input.templates.length === 0
      ? 'No approved WhatsApp template can be sent from here. Ask an administrator.'
      : '',
  ].filter(Boolean);
  const data: GuideData = {
    customerId: customer?.customerId ?? '',
    customerName: customer?.name ?? 'Unknown customer',
    customerPhoneNumber: phone,
    whatsAppNumberMasked: phone ? maskPhoneNumber(phone) : 'no number on record',
    customerNotice: notices.join(' '),
    templateCount: String(input.templates.length),
  };
  for (const i of range(MAX_TEMPLATE_OPTIONS)) {
    const template = input.templates[i - 1];
    data[`templateOption${i}Key`] = template ? templateKey(template) : '';
    data[`templateOption${i}Heading`] = template ? `${template.name} (${template.language})` : '';
    data[`templateOption${i}Description`] = template
      ? truncate(renderPreview(template, { parameters: [] }), 300)
      : '';
    data[`templateOption${i}Visible`] = visible(template !== undefined);
  }
  return data;
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
}): GuideData {
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
  const data: GuideData = {
    customerId: customer?.customerId ?? input.customerId ?? '',
    customerName: customer?.name ?? input.customerName ?? 'Unknown customer',
    templateKey: templateKey(template),
    templateHeading: `${template.name} (${template.language}${template.category ? `, ${template.category.toLowerCase()}` : ''})`,
    whatsAppNumber: input.whatsAppNumber,
    whatsAppNumberHint: input.whatsAppNumber
      ? `Sending to ${maskPhoneNumber(input.whatsAppNumber)}. International format, e.g. +447700900123.`
      : 'International format, e.g. +447700900123.',
    formMessage: input.message,
    previewText: renderPreview(template, { parameters: values, headerMediaUrl }),
    headerMediaLabel: media ? `${capitalise(header.format.toLowerCase())} link (https)` : '',
    headerMediaValue: media ? headerMediaUrl : '',
    headerMediaVisible: visible(media),
  };
  for (const i of range(MAX_FORM_PARAMETERS)) {
    const parameter = parameters[i - 1];
    data[`param${i}Label`] = parameter?.label ?? '';
    data[`param${i}Value`] = parameter ? (values[i - 1] ?? '') : '';
    data[`param${i}Hint`] = parameter?.example ? `Example: ${parameter.example}` : '';
    data[`param${i}Visible`] = visible(parameter !== undefined);
  }
  return data;
}

/** A form with no template (the template vanished from the catalogue): only the message shows. */
export function emptyFormData(input: {
  customerId: string;
  customerName: string;
  whatsAppNumber: string;
  templateKey: string;
  message: string;
}): GuideData {
  const data: GuideData = Object.fromEntries(FORM_STEP_KEYS.map((key) => [key, '']));
  return {
    ...data,
    customerId: input.customerId,
    customerName: input.customerName || 'Unknown customer',
    templateKey: input.templateKey,
    templateHeading: input.templateKey,
    whatsAppNumber: input.whatsAppNumber,
    whatsAppNumberHint: 'International format, e.g. +447700900123.',
    formMessage: input.message,
  };
}

/** send-template's answer: the form as it should be re-shown, plus the outcome. */
export function sendOutcomeData(
  form: GuideData,
  outcome: { outcome: SendOutcome; messageId?: string; heading?: string; description?: string },
): GuideData {
  return {
    ...form,
    outcome: outcome.outcome,
    messageId: outcome.messageId ?? '',
    outcomeHeading: outcome.heading ?? '',
    outcomeDescription: outcome.description ?? '',
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

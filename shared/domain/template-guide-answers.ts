/**
 * The answers of the guide's steps, built from the customer and the template catalogue: the choose
 * step's cards, the form step's sections (and the form re-shown after a send), and a send's outcome.
 * Their keys are the contract in template-guide.ts.
 */
import type { CustomerRecord } from './customer.js';
import { defaultParameterValue } from './customer.js';
import type { MarketingPreference } from './customer-choices.js';
import {
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
  type ChooseStepAnswer,
  type FormStepAnswer,
  type SendOutcome,
  type SendStepAnswer,
  templateAction,
} from './template-guide.js';
import {
  renderPreview,
  type TemplateDefinition,
  templateKey,
  templateParameters,
} from './whatsapp-template.js';

const SUMMARY_PREVIEW_MAX = 120;
const DETAIL_PREVIEW_MAX = 400;

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

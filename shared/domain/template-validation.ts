import { checkWhatsAppNumber } from './phone-number.js';
import {
  BODY_TEXT_MAX,
  HEADER_TEXT_MAX,
  renderText,
  type TemplateDefinition,
  type TemplateParameter,
  type TemplateValues,
  templateParameters,
} from './whatsapp-template.js';

/** Why a send was refused before reaching WhatsApp; also the `Reason` dimension of the metric. */
export type ValidationReason =
  | 'InvalidNumber'
  | 'ParameterEmpty'
  | 'ParameterTooLong'
  | 'ParameterFormat'
  | 'ParameterCount'
  | 'HeaderMediaMissing'
  | 'HeaderMediaInvalid';

export interface ValidationProblem {
  readonly reason: ValidationReason;
  /** The form field to fix: `whatsAppNumber`, `param<n>` or `headerMedia`. */
  readonly field: string;
  readonly message: string;
}

export interface SendRequestInput {
  readonly whatsAppNumber: string | undefined;
  /** Values of the form's parameter fields, slot 1 first; hidden (unused) fields arrive empty. */
  readonly parameters: readonly string[];
  readonly headerMediaUrl?: string | undefined;
}

export type ValidatedSend =
  | { readonly ok: true; readonly to: string; readonly values: TemplateValues }
  | { readonly ok: false; readonly problems: readonly ValidationProblem[] };

/**
 * Checks everything WhatsApp would reject, so the agent fixes it on the form and nothing half-right
 * is sent: the number, the value count, each value (present, within length, in Meta's format), the
 * header media a template needs, and the length of the final texts.
 */
export function validateTemplateSend(template: TemplateDefinition, input: SendRequestInput): ValidatedSend {
  const problems: ValidationProblem[] = [];
  const number = checkWhatsAppNumber(input.whatsAppNumber);
  if (!number.ok)
    problems.push({ reason: 'InvalidNumber', field: 'whatsAppNumber', message: number.message });

  const parameters = templateParameters(template);
  const values = parameters.map((parameter) => (input.parameters[parameter.slot - 1] ?? '').trim());
  const extra = input.parameters.findIndex(
    (value, index) => index >= parameters.length && value.trim() !== '',
  );
  if (extra >= 0) {
    problems.push({
      reason: 'ParameterCount',
      field: `param${extra + 1}`,
      message: `This template takes ${parameters.length} value${parameters.length === 1 ? '' : 's'}, but ${countFilled(input.parameters)} were given. Choose the template again to reset the form.`,
    });
  }
  for (const parameter of parameters) {
    const problem = checkValue(parameter, values[parameter.slot - 1] ?? '');
    if (problem) problems.push(problem);
  }

  const header = template.header;
  const needsMedia =
    header?.format === 'IMAGE' || header?.format === 'VIDEO' || header?.format === 'DOCUMENT';
  const mediaUrl = input.headerMediaUrl?.trim() ?? '';
  if (needsMedia && mediaUrl === '') {
    problems.push({
      reason: 'HeaderMediaMissing',
      field: 'headerMedia',
      message: `This template starts with ${article(header.format)} ${header.format.toLowerCase()}: enter its https link.`,
    });
  } else if (needsMedia && !isHttpsUrl(mediaUrl)) {
    problems.push({
      reason: 'HeaderMediaInvalid',
      field: 'headerMedia',
      message: `The ${header.format.toLowerCase()} link must be a public https:// URL.`,
    });
  }

  const templateValues: TemplateValues = {
    parameters: values,
    ...(needsMedia ? { headerMediaUrl: mediaUrl } : {}),
  };
  if (problems.length === 0) problems.push(...checkRenderedLengths(template, templateValues));
  if (problems.length > 0 || !number.ok) return { ok: false, problems };
  return { ok: true, to: number.e164, values: templateValues };
}

/** One line for the form: the first problems, numbered by field, so the agent knows what to fix. */
export function describeProblems(problems: readonly ValidationProblem[]): string {
  const shown = problems.slice(0, 3).map((problem) => problem.message);
  const more = problems.length - shown.length;
  return `${shown.join(' ')}${more > 0 ? ` (${more} more problem${more === 1 ? '' : 's'}.)` : ''}`;
}

function checkValue(parameter: TemplateParameter, value: string): ValidationProblem | undefined {
  const name = `Parameter ${parameter.slot} (${parameter.description})`;
  const field = `param${parameter.slot}`;
  if (value === '') return { reason: 'ParameterEmpty', field, message: `${name} is empty.` };
  if (value.length > parameter.maxLength) {
    return {
      reason: 'ParameterTooLong',
      field,
      message: `${name} is ${value.length} characters; at most ${parameter.maxLength} are allowed.`,
    };
  }
  if (parameter.component === 'button' && /\s/.test(value)) {
    return {
      reason: 'ParameterFormat',
      field,
      message: `${name} is part of a link and cannot contain spaces.`,
    };
  }
  // The value is shown again in the form, and Connect reads a ShowView value starting with "$." as a
  // reference to flow data (ShowView: "Keys and values may be set statically or dynamically").
  if (value.startsWith('$.')) {
    return { reason: 'ParameterFormat', field, message: `${name} cannot start with “$.”.` };
  }
  // Meta refuses text parameters with new lines, tabs or more than four spaces in a row.
  if (/[\n\r\t]/.test(value) || / {5,}/.test(value)) {
    return {
      reason: 'ParameterFormat',
      field,
      message: `${name} cannot contain line breaks, tabs or more than four spaces in a row.`,
    };
  }
  return undefined;
}

function checkRenderedLengths(template: TemplateDefinition, values: TemplateValues): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const body = renderText(template, 'body', values);
  if (body.length > BODY_TEXT_MAX) {
    problems.push({
      reason: 'ParameterTooLong',
      field: 'param1',
      message: `The message text would be ${body.length} characters; WhatsApp allows ${BODY_TEXT_MAX}. Shorten the values.`,
    });
  }
  if (template.header?.format === 'TEXT') {
    const header = renderText(template, 'header', values);
    if (header.length > HEADER_TEXT_MAX) {
      problems.push({
        reason: 'ParameterTooLong',
        field: 'param1',
        message: `The heading would be ${header.length} characters; WhatsApp allows ${HEADER_TEXT_MAX}.`,
      });
    }
  }
  return problems;
}

function countFilled(values: readonly string[]): number {
  return values.filter((value) => value.trim() !== '').length;
}

function article(word: string): string {
  return /^[AEIOU]/i.test(word) ? 'an' : 'a';
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/**
 * WhatsApp message templates as the agent-initiated guide needs them: what a template says, which
 * values it needs, how those values are labelled on the form, the preview the agent reviews, and
 * the Meta Cloud API message that is finally sent.
 */

/** One template in the WABA's catalogue, whatever its status (from ListWhatsAppMessageTemplates). */
export interface TemplateSummary {
  readonly name: string;
  readonly language: string;
  readonly status: string;
  readonly category?: string;
  readonly metaTemplateId?: string;
}

export type MediaHeaderFormat = 'IMAGE' | 'VIDEO' | 'DOCUMENT';

export type TemplateHeader =
  | { readonly format: 'TEXT'; readonly text: string; readonly example?: string }
  | { readonly format: MediaHeaderFormat }
  | { readonly format: 'LOCATION' | 'UNKNOWN' };

export interface TemplateButton {
  readonly type: string;
  readonly text: string;
  /** URL buttons: the URL, which may end in one `{{1}}` suffix the sender fills in. */
  readonly url?: string;
  readonly example?: string;
}

/** A template's content (from GetWhatsAppMessageTemplate), normalised. */
export interface TemplateDefinition {
  readonly name: string;
  readonly language: string;
  readonly category?: string;
  readonly header?: TemplateHeader;
  readonly body: string;
  readonly footer?: string;
  readonly buttons: readonly TemplateButton[];
  /** Example values Meta approved, by placeholder key (`1`, `order_number`); used as form hints. */
  readonly bodyExamples: Readonly<Record<string, string>>;
}

/** One value the agent fills in, in form order: header, then body, then URL buttons. */
export interface TemplateParameter {
  /** 1-based position on the form (`param<slot>`). */
  readonly slot: number;
  readonly component: 'header' | 'body' | 'button';
  /** The placeholder: `1`, `2`… for positional templates, the name for named ones. */
  readonly key: string;
  readonly named: boolean;
  /** Index of the button among the template's buttons (URL buttons only). */
  readonly buttonIndex?: number;
  /** Form label, taken from the template's own text. */
  readonly label: string;
  /** Short words for messages: "order number", or the text around a positional placeholder. */
  readonly description: string;
  readonly example?: string;
  /** Longest value accepted (Meta's limits for the component). */
  readonly maxLength: number;
}

/** The `name:language` key that identifies a template on the form and in contact attributes. */
export function templateKey(template: { name: string; language: string }): string {
  return `${template.name}:${template.language}`;
}

/** Splits a `name:language` key; undefined when it is not one. */
export function parseTemplateKey(key: string | undefined): { name: string; language: string } | undefined {
  const match = /^([a-z0-9_]{1,512}):([A-Za-z]{2,3}(?:_[A-Za-z0-9]{2,4})?)$/.exec((key ?? '').trim());
  return match ? { name: match[1] as string, language: match[2] as string } : undefined;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Meta: a text header is at most 60 characters; body text at most 1,024. */
export const HEADER_TEXT_MAX = 60;
export const BODY_TEXT_MAX = 1024;
/** A URL button's dynamic suffix; Meta allows 2,000 characters of URL in all. */
export const URL_SUFFIX_MAX = 2000;

function placeholdersIn(text: string | undefined): string[] {
  const keys: string[] = [];
  for (const match of (text ?? '').matchAll(PLACEHOLDER)) {
    const key = match[1] as string;
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

function sortKeys(keys: string[]): string[] {
  // Positional placeholders are filled by number, not by where they appear in the text.
  return keys.every((key) => /^\d+$/.test(key)) ? [...keys].sort((a, b) => Number(a) - Number(b)) : keys;
}

/** Why the guide cannot send this template, or undefined when it can. */
export function unsupportedReason(template: TemplateDefinition, maxParameters: number): string | undefined {
  if (template.header?.format === 'LOCATION') return 'it has a location header';
  if (template.header?.format === 'UNKNOWN') return 'it has a header type the guide does not know';
  const otherDynamicButton = template.buttons.find(
    (button) => !['URL', 'QUICK_REPLY', 'PHONE_NUMBER'].includes(button.type),
  );
  if (otherDynamicButton) return `it has a ${otherDynamicButton.type} button`;
  const count = templateParameters(template).length;
  if (count > maxParameters) return `it needs ${count} values and the form has ${maxParameters} fields`;
  return undefined;
}

/**
 * Every value the template needs, labelled from the template's own text so the agent sees
 * "Order number" or "…your order ___ ships on…" rather than "{{2}}".
 */
export function templateParameters(template: TemplateDefinition): TemplateParameter[] {
  const result: TemplateParameter[] = [];
  const add = (parameter: Omit<TemplateParameter, 'slot'>) =>
    result.push({ ...parameter, slot: result.length + 1 });

  if (template.header?.format === 'TEXT') {
    for (const key of sortKeys(placeholdersIn(template.header.text))) {
      add({
        component: 'header',
        key,
        named: !/^\d+$/.test(key),
        ...describe(key, template.header.text, 'header'),
        ...(template.header.example ? { example: template.header.example } : {}),
        maxLength: HEADER_TEXT_MAX,
      });
    }
  }
  for (const key of sortKeys(placeholdersIn(template.body))) {
    const example = template.bodyExamples[key];
    add({
      component: 'body',
      key,
      named: !/^\d+$/.test(key),
      ...describe(key, template.body, 'body'),
      ...(example ? { example } : {}),
      maxLength: BODY_TEXT_MAX,
    });
  }
  template.buttons.forEach((button, index) => {
    if (button.type !== 'URL') return;
    const [key] = placeholdersIn(button.url);
    if (!key) return;
    add({
      component: 'button',
      key,
      named: false,
      buttonIndex: index,
      label: `Link of the “${button.text}” button: ${(button.url ?? '').replace(PLACEHOLDER, '___')}`,
      description: `end of the “${button.text}” link`,
      ...(button.example ? { example: button.example } : {}),
      maxLength: URL_SUFFIX_MAX,
    });
  });
  return result;
}

function describe(key: string, text: string, component: 'header' | 'body') {
  if (!/^\d+$/.test(key)) {
    const words = key.replace(/_/g, ' ').trim();
    const label = words.charAt(0).toUpperCase() + words.slice(1);
    return { label: component === 'header' ? `${label} (header)` : label, description: words };
  }
  const { before, after } = contextOf(text, key);
  const snippet = `${before ? `…${before} ` : ''}___${after ? `${/^[\p{L}\p{N}]/u.test(after) ? ' ' : ''}${after}…` : ''}`;
  const where = component === 'header' ? 'Header' : 'Text';
  const afterWords = after.replace(/^[^\p{L}\p{N}]+/u, '');
  return {
    label: `${where} {{${key}}}: ${snippet}`,
    description: before
      ? `after “${before}”`
      : afterWords
        ? `before “${afterWords}”`
        : `{{${key}}} in the ${component}`,
  };
}

/**
 * Up to four words either side of a placeholder, stopping at the neighbouring placeholders, so a
 * label reads like the sentence the value completes.
 */
function contextOf(text: string, key: string): { before: string; after: string } {
  const match = new RegExp(`\\{\\{\\s*${key}\\s*\\}\\}`).exec(text);
  if (!match) return { before: '', after: '' };
  const previous = text.slice(0, match.index).split(PLACEHOLDER_SPLIT).pop() ?? '';
  const next = text.slice(match.index + match[0].length).split(PLACEHOLDER_SPLIT)[0] ?? '';
  const beforeWords = previous
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .split(/\s+/)
    .filter(Boolean);
  const afterWords = next.trim().split(/\s+/).filter(Boolean);
  return { before: beforeWords.slice(-4).join(' '), after: afterWords.slice(0, 4).join(' ') };
}

const PLACEHOLDER_SPLIT = /\{\{\s*[A-Za-z0-9_]+\s*\}\}/;

/** What the agent sends: one value per parameter slot, plus the header media link if needed. */
export interface TemplateValues {
  readonly parameters: readonly string[];
  readonly headerMediaUrl?: string;
}

/**
 * The message as the customer will read it, for the form's preview. Empty values show as
 * `[description]` so a missing value is visible before anything is sent.
 */
export function renderPreview(template: TemplateDefinition, values: TemplateValues): string {
  const lines: string[] = [];
  const header = template.header;
  if (header?.format === 'TEXT') lines.push(`*${renderText(template, 'header', values)}*`);
  else if (header && header.format !== 'LOCATION' && header.format !== 'UNKNOWN') {
    lines.push(`[${header.format.toLowerCase()}: ${values.headerMediaUrl?.trim() || 'link needed'}]`);
  }
  lines.push(renderText(template, 'body', values));
  if (template.footer) lines.push(`_${template.footer}_`);
  const buttons = template.buttons.map((button) => `[${button.text}]`);
  if (buttons.length > 0) lines.push(buttons.join(' '));
  return lines.join('\n');
}

/** The header or body text with the values filled in (empty ones as `[description]`). */
export function renderText(
  template: TemplateDefinition,
  component: 'header' | 'body',
  values: TemplateValues,
): string {
  const parameters = templateParameters(template);
  const text =
    component === 'body' ? template.body : template.header?.format === 'TEXT' ? template.header.text : '';
  return text.replace(PLACEHOLDER, (whole, key: string) => {
    const parameter = parameters.find((p) => p.component === component && p.key === key);
    if (!parameter) return whole;
    const value = values.parameters[parameter.slot - 1]?.trim();
    return value ? value : `[${parameter.description}]`;
  });
}

/**
 * The Meta Cloud API message for a validated template send (the bytes EUM Social's
 * SendWhatsAppMessage passes on to Meta).
 */
export function buildTemplateMessage(
  template: TemplateDefinition,
  to: string,
  values: TemplateValues,
): Record<string, unknown> {
  const parameters = templateParameters(template);
  const text = (parameter: TemplateParameter) => ({
    type: 'text',
    text: (values.parameters[parameter.slot - 1] ?? '').trim(),
    ...(parameter.named ? { parameter_name: parameter.key } : {}),
  });
  const components: Record<string, unknown>[] = [];
  const header = template.header;
  if (header?.format === 'TEXT') {
    const headerParameters = parameters.filter((p) => p.component === 'header');
    if (headerParameters.length > 0)
      components.push({ type: 'header', parameters: headerParameters.map(text) });
  } else if (
    header &&
    (header.format === 'IMAGE' || header.format === 'VIDEO' || header.format === 'DOCUMENT')
  ) {
    const kind = header.format.toLowerCase();
    components.push({
      type: 'header',
      parameters: [{ type: kind, [kind]: { link: values.headerMediaUrl?.trim() } }],
    });
  }
  const bodyParameters = parameters.filter((p) => p.component === 'body');
  if (bodyParameters.length > 0) components.push({ type: 'body', parameters: bodyParameters.map(text) });
  for (const parameter of parameters.filter((p) => p.component === 'button')) {
    components.push({
      type: 'button',
      sub_type: 'url',
      index: String(parameter.buttonIndex),
      parameters: [{ type: 'text', text: (values.parameters[parameter.slot - 1] ?? '').trim() }],
    });
  }
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: { name: template.name, language: { code: template.language }, components },
  };
}

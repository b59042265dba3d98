/**
 * Connect interactive messages (list pickers and quick replies from flows and bots) as WhatsApp
 * interactive messages. WhatsApp's limits decide the form: up to 3 short options become reply
 * buttons, up to 10 become a list, and anything else a numbered text the customer can answer by
 * typing the option. The customer's tap comes back as the option's title, which is what Connect
 * bots and flows match on.
 */

/** The WhatsApp message body for `type: interactive` or a text fallback. */
export type WhatsAppInteractive =
  | {
      readonly kind: 'buttons';
      readonly body: string;
      readonly header?: string;
      readonly options: readonly Option[];
    }
  | {
      readonly kind: 'list';
      readonly body: string;
      readonly header?: string;
      readonly buttonLabel: string;
      readonly options: readonly Option[];
    }
  | { readonly kind: 'text'; readonly body: string };

export interface Option {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
}

export const WHATSAPP_LIMITS = {
  buttons: 3,
  buttonTitle: 20,
  listRows: 10,
  rowTitle: 24,
  rowDescription: 72,
  listButton: 20,
  body: 1024,
  header: 60,
} as const;

interface ConnectInteractive {
  templateType?: string;
  data?: {
    content?: {
      title?: string;
      subtitle?: string;
      elements?: { title?: string; subtitle?: string; description?: string }[];
    };
  };
}

/** Parses Connect's interactive JSON; returns undefined when it is not a template we know. */
export function interactiveToWhatsApp(content: string): WhatsAppInteractive | undefined {
  let parsed: ConnectInteractive;
  try {
    parsed = JSON.parse(content) as ConnectInteractive;
  } catch {
    return undefined;
  }
  const template = parsed.templateType;
  const body = parsed.data?.content;
  if (!body || (template !== 'ListPicker' && template !== 'QuickReply')) return undefined;

  const title = (body.title ?? '').trim() || 'Please choose an option';
  const options: Option[] = (body.elements ?? [])
    .map((element, index) => ({
      id: `option-${index + 1}`,
      title: (element.title ?? '').trim(),
      description: (element.subtitle ?? element.description ?? '').trim(),
    }))
    .filter((option) => option.title.length > 0)
    .map(({ description, ...option }) => (description ? { ...option, description } : option));
  if (options.length === 0) return { kind: 'text', body: title };

  const text = body.subtitle ? `${title}\n${body.subtitle}` : title;
  const fitsBody = text.length <= WHATSAPP_LIMITS.body;
  if (
    template === 'QuickReply' &&
    fitsBody &&
    options.length <= WHATSAPP_LIMITS.buttons &&
    options.every((option) => option.title.length <= WHATSAPP_LIMITS.buttonTitle)
  ) {
    return {
      kind: 'buttons',
      body: text,
      options: options.map(({ id, title: optionTitle }) => ({ id, title: optionTitle })),
    };
  }
  if (
    fitsBody &&
    options.length <= WHATSAPP_LIMITS.listRows &&
    options.every(
      (option) =>
        option.title.length <= WHATSAPP_LIMITS.rowTitle &&
        (option.description?.length ?? 0) <= WHATSAPP_LIMITS.rowDescription,
    )
  ) {
    return { kind: 'list', body: text, buttonLabel: 'Choose', options };
  }
  return { kind: 'text', body: numberedFallback(text, options) };
}

function numberedFallback(title: string, options: readonly Option[]): string {
  const lines = options.map(
    (option, index) => `${index + 1}. ${option.title}${option.description ? ` — ${option.description}` : ''}`,
  );
  return `${title}\n\n${lines.join('\n')}\n\nReply with the option's name.`;
}

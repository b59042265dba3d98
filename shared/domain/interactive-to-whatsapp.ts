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

/** The label of the button that opens a list, when none is configured. */
export const DEFAULT_LIST_BUTTON_LABEL = 'Choose';

/** Parses Connect's interactive JSON; returns undefined when it is not a template we know. */
export function interactiveToWhatsApp(
  content: string,
  options: { listButtonLabel?: string } = {},
): WhatsAppInteractive | undefined {
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
  const choices: Option[] = uniqueByTitle(
    (body.elements ?? []).map((element) => ({
      title: (element.title ?? '').trim(),
      description: (element.subtitle ?? element.description ?? '').trim(),
    })),
  ).map(({ title: optionTitle, description }, index) => ({
    id: `option-${index + 1}`,
    title: optionTitle,
    ...(description ? { description } : {}),
  }));
  if (choices.length === 0) return { kind: 'text', body: title };

  const text = body.subtitle ? `${title}\n${body.subtitle}` : title;
  const fitsBody = text.length <= WHATSAPP_LIMITS.body;
  if (
    template === 'QuickReply' &&
    fitsBody &&
    choices.length <= WHATSAPP_LIMITS.buttons &&
    choices.every((option) => option.title.length <= WHATSAPP_LIMITS.buttonTitle)
  ) {
    return {
      kind: 'buttons',
      body: text,
      options: choices.map(({ id, title: optionTitle }) => ({ id, title: optionTitle })),
    };
  }
  if (
    fitsBody &&
    choices.length <= WHATSAPP_LIMITS.listRows &&
    choices.every(
      (option) =>
        option.title.length <= WHATSAPP_LIMITS.rowTitle &&
        (option.description?.length ?? 0) <= WHATSAPP_LIMITS.rowDescription,
    )
  ) {
    return {
      kind: 'list',
      body: text,
      buttonLabel: options.listButtonLabel ?? DEFAULT_LIST_BUTTON_LABEL,
      options: choices,
    };
  }
  return { kind: 'text', body: numberedFallback(text, choices) };
}

function numberedFallback(title: string, options: readonly Option[]): string {
  const lines = options.map(
    (option, index) => `${index + 1}. ${option.title}${option.description ? ` — ${option.description}` : ''}`,
  );
  return `${title}\n\n${lines.join('\n')}\n\nReply with the option's name.`;
}

/**
 * Drops options whose title repeats an earlier one (ignoring case and spacing): Meta rejects
 * reply buttons with duplicate titles, and the customer's tap comes back as the title, so two
 * options with one title could not be told apart anyway.
 */
function uniqueByTitle<T extends { title: string }>(options: readonly T[]): T[] {
  const seen = new Set<string>();
  return options.filter((option) => {
    const key = option.title.replace(/\s+/g, ' ').toLowerCase();
    if (option.title.length === 0 || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

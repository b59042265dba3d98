import { z } from 'zod';
import type {
  TemplateButton,
  TemplateDefinition,
  TemplateHeader,
  TemplateSummary,
} from '../domain/whatsapp-template.js';

/**
 * Decodes the template JSON that GetWhatsAppMessageTemplate returns (Meta's template object, as a
 * string). EUM Social does not document its exact shape, so this reads Meta's field names
 * case-insensitively and tolerates anything extra; a template it cannot read is skipped, not fatal.
 */
const upper = z.string().transform((value) => value.toUpperCase());

const componentSchema = z.looseObject({
  type: upper,
  format: upper.optional(),
  text: z.string().optional(),
  example: z
    .looseObject({
      header_text: z.array(z.string()).optional(),
      body_text: z.array(z.array(z.string())).optional(),
      body_text_named_params: z.array(z.object({ param_name: z.string(), example: z.string() })).optional(),
      header_text_named_params: z.array(z.object({ param_name: z.string(), example: z.string() })).optional(),
    })
    .optional(),
  buttons: z
    .array(
      z.looseObject({
        type: upper,
        text: z.string().default(''),
        url: z.string().optional(),
        example: z.union([z.array(z.string()), z.string()]).optional(),
      }),
    )
    .optional(),
});

const templateSchema = z.looseObject({
  name: z.string().optional(),
  language: z.string().optional(),
  category: z.string().optional(),
  components: z.array(componentSchema).default([]),
});

export class TemplateDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateDecodeError';
  }
}

/** Turns GetWhatsAppMessageTemplate's `template` string into a TemplateDefinition. */
export function decodeTemplateDefinition(json: string, summary: TemplateSummary): TemplateDefinition {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new TemplateDecodeError(`Template ${summary.name} (${summary.language}) is not JSON`);
  }
  const parsed = templateSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TemplateDecodeError(
      `Template ${summary.name} (${summary.language}): ${parsed.error.issues[0]?.message}`,
    );
  }
  const components = parsed.data.components;
  const body = components.find((component) => component.type === 'BODY');
  if (!body?.text)
    throw new TemplateDecodeError(`Template ${summary.name} (${summary.language}) has no body text`);
  const headerComponent = components.find((component) => component.type === 'HEADER');
  const footer = components.find((component) => component.type === 'FOOTER')?.text;
  const buttons = components.find((component) => component.type === 'BUTTONS')?.buttons ?? [];
  const category = parsed.data.category ?? summary.category;
  return {
    name: parsed.data.name ?? summary.name,
    language: parsed.data.language ?? summary.language,
    ...(category ? { category } : {}),
    ...(headerComponent ? { header: decodeHeader(headerComponent) } : {}),
    body: body.text,
    ...(footer ? { footer } : {}),
    buttons: buttons.map((button): TemplateButton => {
      const example = Array.isArray(button.example) ? button.example[0] : button.example;
      const prefix = button.url?.split('{{')[0] ?? '';
      return {
        type: button.type,
        text: button.text,
        ...(button.url ? { url: button.url } : {}),
        ...(example ? { example: example.startsWith(prefix) ? example.slice(prefix.length) : example } : {}),
      };
    }),
    bodyExamples: bodyExamples(body.example),
  };
}

function decodeHeader(component: z.infer<typeof componentSchema>): TemplateHeader {
  const format = component.format ?? 'TEXT';
  if (format === 'TEXT') {
    const example =
      component.example?.header_text?.[0] ?? component.example?.header_text_named_params?.[0]?.example;
    return { format: 'TEXT', text: component.text ?? '', ...(example ? { example } : {}) };
  }
  if (format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT') return { format };
  if (format === 'LOCATION') return { format: 'LOCATION' };
  return { format: 'UNKNOWN' };
}

function bodyExamples(example: z.infer<typeof componentSchema>['example']): Record<string, string> {
  const result: Record<string, string> = {};
  example?.body_text?.[0]?.forEach((value, index) => {
    result[String(index + 1)] = value;
  });
  for (const named of example?.body_text_named_params ?? []) result[named.param_name] = named.example;
  return result;
}

import { parseTemplateKey, type TemplateDefinition, type TemplateSummary } from './whatsapp-template.js';

export type TemplateLookupFailure =
  | 'UnknownTemplate'
  | 'TemplateNotApproved'
  | 'TemplateLanguageUnavailable'
  | 'TemplateNotOffered';

export type TemplateLookup =
  | { readonly found: true; readonly template: TemplateDefinition }
  | { readonly found: false; readonly reason: TemplateLookupFailure; readonly message: string };

/**
 * Finds the template the agent chose, or says precisely why it cannot be sent (unknown, not
 * approved, not in that language, or not offered here), so the agent is never left guessing.
 */
export function lookupTemplate(
  key: string | undefined,
  sendable: readonly TemplateDefinition[],
  summaries: readonly TemplateSummary[],
): TemplateLookup {
  const wanted = parseTemplateKey(key);
  if (!wanted) {
    return { found: false, reason: 'UnknownTemplate', message: 'No template was chosen. Choose one again.' };
  }
  const template = sendable.find((t) => t.name === wanted.name && t.language === wanted.language);
  if (template) return { found: true, template };

  const label = `Template “${wanted.name}”`;
  const exact = summaries.find((s) => s.name === wanted.name && s.language === wanted.language);
  if (exact && exact.status !== 'APPROVED') {
    return {
      found: false,
      reason: 'TemplateNotApproved',
      message: `${label} (${wanted.language}) is ${exact.status} at Meta; only approved templates can be sent.`,
    };
  }
  if (exact) {
    return {
      found: false,
      reason: 'TemplateNotOffered',
      message: `${label} (${wanted.language}) is approved but not offered in this guide (allow-list or unsupported components).`,
    };
  }
  const approvedLanguages = summaries
    .filter((s) => s.name === wanted.name && s.status === 'APPROVED')
    .map((s) => s.language);
  if (summaries.some((s) => s.name === wanted.name)) {
    return {
      found: false,
      reason: 'TemplateLanguageUnavailable',
      message: `${label} has no approved ${wanted.language} version${approvedLanguages.length ? `; approved: ${approvedLanguages.join(', ')}` : ''}.`,
    };
  }
  return {
    found: false,
    reason: 'UnknownTemplate',
    message: `${label} does not exist in the WhatsApp Business Account. Choose another template.`,
  };
}

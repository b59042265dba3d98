import type { FormInputItem, FormViewSection } from '../../shared/domain/managed-views.js';
import type { ChooseStepAnswer, SendStepAnswer } from '../../shared/domain/template-guide.js';

/** Any guide Lambda answer, every key optional, so a test reads whichever step it called. */
export type GuideAnswer = Partial<ChooseStepAnswer> & Partial<SendStepAnswer>;

/** The form's input fields, by `Name`, as the agent sees them on the Form view. */
export function formFields(answer: GuideAnswer): Record<string, FormInputItem> {
  const sections: readonly FormViewSection[] = answer.formSections ?? [];
  return Object.fromEntries(
    sections
      .flatMap((section) => (section.Type === 'FormSection' ? section.Items : []))
      .map((item) => [item.Name, item]),
  );
}

/**
 * The `views` block parameter as Connect passes `$.Views` after the Form view: `ViewResultData`
 * a JSON string holding `FormData` (the AWS sample Lambda's reading of it).
 */
export function submittedViews(fields: Record<string, string>, action = 'Next') {
  return { Action: action, ViewResultData: JSON.stringify({ FormData: fields }) };
}

/**
 * The data of Connect's AWS managed views, as the guide fills them. Each shape is the documented
 * one (Connect admin guide, "Set up AWS managed views", view-resources-managed-view.html, and the
 * AWS sample aws-samples/amazon-connect-step-by-step-guides-module-library,
 * examples/Cards/SBSGuides_Example_Cards_Guide.json); docs/agent-initiated-templates.md cites each
 * field. The views size themselves from this data, so nothing is hidden by a visibility flag.
 */

/** AttributeBar entry: required `Label` and `Value` (all managed views). */
export type AttributeBarItem = { readonly Label: string; readonly Value: string };

/** A Cards view card: `Summary` (Id, Heading, Status, Description) and `Detail` (opened card). */
export type TemplateCard = {
  readonly Summary: {
    readonly Id: string;
    readonly Heading: string;
    readonly Status: string;
    readonly Description: string;
  };
  readonly Detail: {
    readonly Heading: string;
    readonly Description: string;
    readonly Sections: { readonly TemplateString: string };
    /** Each becomes `$.Views.ViewResultData.actionName` with the `ActionSelected` branch. */
    readonly Actions: readonly string[];
  };
};

/** A Form view `FormInput` component inside a `FormSection`. */
export type FormInputItem = {
  readonly Type: 'FormInput';
  readonly Name: string;
  readonly Label: string;
  readonly DefaultValue: string;
  readonly InputType: 'text';
  readonly Required: boolean;
  readonly Fluid: boolean;
};

/** A Form view section: `DataSection` (labels and values) or `FormSection` (inputs). */
export type FormViewSection =
  | {
      readonly Type: 'DataSection';
      readonly Heading: string;
      readonly IsEditable: false;
      readonly Items: readonly AttributeBarItem[];
    }
  | { readonly Type: 'FormSection'; readonly Heading: string; readonly Items: readonly FormInputItem[] };

/** A Detail view section: a static string (documented input example: `"abc"`). */
export type DetailSection = string;

/** A form field the agent fills in: its `Name` is how `FormData` answers it. */
export function formInput(name: string, label: string, value: string): FormInputItem {
  return {
    Type: 'FormInput',
    Name: name,
    Label: label,
    DefaultValue: value,
    InputType: 'text',
    Required: false,
    Fluid: true,
  };
}

/** A label and value for an attribute bar or a DataSection; empty values show as a dash. */
export function attribute(label: string, value: string): AttributeBarItem {
  return { Label: label, Value: value || '—' };
}

/**
 * Text placed inside a card's `TemplateString` (which Connect renders as markup): every character
 * that markup gives meaning to is escaped, so template text always shows as written.
 */
export function escapeMarkup(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

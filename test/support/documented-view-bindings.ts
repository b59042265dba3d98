/**
 * The view components and props this project may use, each with where AWS documents it, and the
 * props whose value may be bound to a view input (`$.name`). Anything else in a view is a guess
 * about what Connect publishes, and the flow checker refuses it.
 *
 * Sources:
 * - CUSTOM_VIEW_DOC: Connect admin guide, "Custom views in the agent workspace"
 *   (https://docs.aws.amazon.com/connect/latest/adminguide/view-resources-custom-view.html):
 *   Container, Card (Id, Heading, Icon, Status, Description, Action) and Button (Action), all static.
 * - AWS_SAMPLE: aws-samples/sample-whatsapp-end-user-messaging-connect-chat,
 *   agent-initiated-whatsapp/config.py: Form, Container (HideBorder, Visibility: true), Header
 *   (variant, description), FormInput (Label, Name, DefaultValue bound to `$.…`, InputType,
 *   Required, HelperText, ValidationPattern, Disabled) and SubmitButton (Action, Label). Its
 *   generated InputSchema describes a static string as one that does not start with "$." and a
 *   condition as an object (`ViewCondition`), never a string.
 */
const CUSTOM_VIEW_DOC =
  'https://docs.aws.amazon.com/connect/latest/adminguide/view-resources-custom-view.html';
const AWS_SAMPLE =
  'aws-samples/sample-whatsapp-end-user-messaging-connect-chat: agent-initiated-whatsapp/config.py';

export interface DocumentedComponent {
  readonly source: string;
  /** Props documented for the component. */
  readonly props: readonly string[];
  /** Props documented with a `$.` input as their value. */
  readonly bound: readonly string[];
}

export const DOCUMENTED_COMPONENTS: Readonly<Record<string, DocumentedComponent>> = {
  Container: { source: `${CUSTOM_VIEW_DOC}; ${AWS_SAMPLE}`, props: ['HideBorder', 'Visibility'], bound: [] },
  Card: {
    source: CUSTOM_VIEW_DOC,
    props: ['Id', 'Heading', 'Icon', 'Status', 'Description', 'Action'],
    bound: [],
  },
  Button: { source: CUSTOM_VIEW_DOC, props: ['Action'], bound: [] },
  Form: { source: AWS_SAMPLE, props: ['HideBorder'], bound: [] },
  Header: { source: AWS_SAMPLE, props: ['variant', 'description'], bound: [] },
  FormInput: {
    source: AWS_SAMPLE,
    props: [
      'Label',
      'Name',
      'DefaultValue',
      'InputType',
      'Required',
      'HelperText',
      'ValidationPattern',
      'Disabled',
    ],
    bound: ['DefaultValue'],
  },
  SubmitButton: { source: AWS_SAMPLE, props: ['Action', 'Label'], bound: [] },
};

/**
 * An AWS managed view (`arn:aws:connect:<region>:aws:view/<name>`): the ViewData keys, results
 * (ShowView branches), outputs (`$.Views.ViewResultData.*`) and nested shapes AWS documents. The
 * flow checker holds every ShowView of a managed view to `viewData`, `results` and `outputs`;
 * `checkManagedViewData` holds the data the guide's Lambdas build to `shapes` and `values`.
 */
export interface DocumentedManagedView {
  readonly source: string;
  readonly viewData: readonly string[];
  readonly requiredViewData: readonly string[];
  readonly results: readonly string[];
  readonly outputs: readonly string[];
  /** Keys allowed in each nested object, by path (`Cards[].Summary`: every card's Summary). */
  readonly shapes: Readonly<Record<string, readonly string[]>>;
  /** Values allowed for enumerated fields, by path. */
  readonly values: Readonly<Record<string, readonly string[]>>;
}

/**
 * Sources:
 * - MANAGED_VIEW_DOC: Connect admin guide, "Set up AWS managed views"
 *   (https://docs.aws.amazon.com/connect/latest/adminguide/view-resources-managed-view.html): the
 *   Detail, Form and Cards views, their inputs, AttributeBar (Label, Value, LinkType, ResourceId,
 *   Copyable, Url), and outputs (`ActionSelected` + `actionName`; a form's `FormData` and `StepName`).
 * - SBS_SAMPLE: aws-samples/amazon-connect-step-by-step-guides-module-library,
 *   examples/Cards/SBSGuides_Example_Cards_Guide.json: a Cards view branching on ActionSelected,
 *   Back and NoMatchFound; a Form view with DataSection/FormSection `Items` and `IsEditable`,
 *   branching on Back, Next and Step.
 * - CUSTOM_FORM_OUTPUT: the custom-views page above: "When using the AWS managed Form view, the
 *   form data is under FormData" (`$.Views.ViewResultData.FormData.<Name>`).
 */
const MANAGED_VIEW_DOC =
  'https://docs.aws.amazon.com/connect/latest/adminguide/view-resources-managed-view.html';
const SBS_SAMPLE =
  'aws-samples/amazon-connect-step-by-step-guides-module-library: examples/Cards/SBSGuides_Example_Cards_Guide.json';

const ATTRIBUTE = ['Label', 'Value', 'LinkType', 'ResourceId', 'Copyable', 'Url'];
const ACTION_PROPS = ['Label', 'Details'];

export const DOCUMENTED_MANAGED_VIEWS: Readonly<Record<'cards' | 'form' | 'detail', DocumentedManagedView>> =
  {
    cards: {
      source: `${MANAGED_VIEW_DOC} (Cards view); ${SBS_SAMPLE}`,
      viewData: ['AttributeBar', 'Heading', 'Back', 'NoMatchFound', 'Cards'],
      requiredViewData: ['Cards'],
      results: ['ActionSelected', 'Back', 'NoMatchFound'],
      outputs: ['actionName'],
      shapes: {
        'AttributeBar[]': ATTRIBUTE,
        Back: ACTION_PROPS,
        NoMatchFound: ACTION_PROPS,
        'Cards[]': ['Summary', 'Detail'],
        'Cards[].Summary': ['Id', 'Icon', 'Heading', 'Status', 'Description'],
        'Cards[].Detail': ['Heading', 'Description', 'Sections', 'Actions'],
        'Cards[].Detail.Sections': ['TemplateString'],
      },
      values: {},
    },
    form: {
      source: `${MANAGED_VIEW_DOC} (Form view); ${SBS_SAMPLE}`,
      viewData: [
        'AttributeBar',
        'Heading',
        'SubHeading',
        'ErrorText',
        'Sections',
        'Wizard',
        'Back',
        'Next',
        'Cancel',
        'Previous',
        'Edit',
      ],
      requiredViewData: ['Sections'],
      // The doc's output example names the submit action "Submit"; AWS's sample branches on "Next".
      results: ['Next', 'Submit', 'Back', 'Step'],
      outputs: ['FormData', 'StepName'],
      shapes: {
        'AttributeBar[]': ATTRIBUTE,
        Back: ACTION_PROPS,
        Next: ACTION_PROPS,
        Cancel: ACTION_PROPS,
        'Sections[]': ['_id', 'Type', 'Heading', 'Items', 'IsEditable', 'Configuration'],
        'Sections[].Items[]': [
          ...ATTRIBUTE,
          'AutoOpen',
          'Type',
          'Name',
          'DefaultValue',
          'InputType',
          'Required',
          'Fluid',
          'MultiSelect',
          'Options',
        ],
      },
      values: {
        'Sections[].Type': ['FormSection', 'DataSection'],
        'Sections[].Items[].Type': [
          'FormInput',
          'DatePicker',
          'TimeInput',
          'TimePicker',
          'RadioGroup',
          'Dropdown',
          'TextArea',
        ],
      },
    },
    detail: {
      source: `${MANAGED_VIEW_DOC} (Detail view)`,
      viewData: ['AttributeBar', 'Back', 'Heading', 'Description', 'Sections', 'Actions'],
      requiredViewData: ['Sections'],
      results: ['ActionSelected', 'Back'],
      outputs: ['actionName'],
      shapes: { 'AttributeBar[]': ATTRIBUTE, Back: ACTION_PROPS, 'Sections[]': ['TemplateString'] },
      values: {},
    },
  };

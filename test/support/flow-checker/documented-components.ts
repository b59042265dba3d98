/**
 * The customer-managed view components and props this project may use, each with where AWS documents it, and the
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

/** Names of the Connect resources this construct creates; the README's setup steps use them. */
export const CONNECT_RESOURCE_NAMES = {
  guideFlow: 'WhatsApp agent-initiated template guide',
  inboundFlow: 'WhatsApp inbound routing',
  routeBackQueueFlow: 'WhatsApp route-back wait',
} as const;

/**
 * The guide flow's view placeholders and the AWS managed views they stand for
 * (`arn:aws:connect:<region>:aws:view/<name>`, Connect admin guide, "AWS managed views"). The
 * guide has no customer-managed view: each managed view sizes itself from the data the Lambdas
 * return, so nothing is hidden or shown by a bound flag (docs/agent-initiated-templates.md).
 */
export const GUIDE_MANAGED_VIEWS = {
  CardsViewArn: 'cards',
  FormViewArn: 'form',
  DetailViewArn: 'detail',
} as const;

/** The guide flow's Lambda placeholders and the functions (functions/<name>) they stand for. */
export const GUIDE_FUNCTIONS = {
  CustomerDataFunctionArn: 'customer-data',
  SendTemplateFunctionArn: 'send-template',
} as const;

/** The guide's workspace page: identifier and URL slug. CloudFormation allows no '/' in either (AWS::Connect::Workspace). */
export const GUIDE_PAGE = { page: 'send-whatsapp', slug: 'send-whatsapp' } as const;

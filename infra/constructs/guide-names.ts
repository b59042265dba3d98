/** Names of the Connect resources this construct creates; the README's setup steps use them. */
export const CONNECT_RESOURCE_NAMES = {
  guideFlow: 'WhatsApp agent-initiated template guide',
  inboundFlow: 'WhatsApp inbound routing',
  routeBackQueueFlow: 'WhatsApp route-back wait',
  chooseView: 'WhatsAppTemplateChoose',
  sendView: 'WhatsAppTemplateSend',
  outcomeView: 'WhatsAppTemplateOutcome',
} as const;

/** The guide flow's view placeholders and the view files they stand for. */
export const GUIDE_VIEW_FILES = {
  ChooseTemplateViewArn: 'views/choose-whatsapp-template.json',
  SendTemplateViewArn: 'views/send-whatsapp-template.json',
  TemplateOutcomeViewArn: 'views/template-outcome.json',
} as const;

/** The guide flow's Lambda placeholders and the functions (functions/<name>) they stand for. */
export const GUIDE_FUNCTIONS = {
  CustomerDataFunctionArn: 'customer-data',
  SendTemplateFunctionArn: 'send-template',
} as const;

/** The guide's workspace page: identifier and URL slug. CloudFormation allows no '/' in either (AWS::Connect::Workspace). */
export const GUIDE_PAGE = { page: 'send-whatsapp', slug: 'send-whatsapp' } as const;

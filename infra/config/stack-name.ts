/** The stack's name: `cdk deploy` creates it, and `npm run doctor` reads it back by this name. */
export const STACK_NAME = 'WhatsAppConnectRelay';

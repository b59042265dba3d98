import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { instanceParts } from './config/instance-arn.js';
import type { RelayConfig } from './config/relay-config.js';
import { STACK_NAME } from './config/stack-name.js';
import { WhatsAppRelayStack } from './relay-stack.js';

export { STACK_NAME };

/** Builds the CDK app for a validated configuration, with cdk-nag's AWS Solutions checks on. */
export function buildApp(config: RelayConfig, app: App = new App()) {
  const { account, region } = instanceParts(config.connectInstanceArn);
  const stack = new WhatsAppRelayStack(app, STACK_NAME, {
    config,
    env: { account, region },
    description: 'WhatsApp (AWS End User Messaging Social) <-> Amazon Connect chat relay',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

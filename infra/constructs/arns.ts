import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** The ARN prefix for the stack's account and Region in a service, for scoping IAM statements. */
export function arnPrefix(scope: Construct, service: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:${service}:${stack.region}:${stack.account}`;
}

/** ARN of a contact flow in the instance. */
export function contactFlowArn(instanceArn: string, flowId: string): string {
  return `${instanceArn}/contact-flow/${flowId}`;
}

/** ARN pattern for every contact in the instance (contacts are created at run time). */
export function contactsArn(instanceArn: string): string {
  return `${instanceArn}/contact/*`;
}

/** ARN of an EUM Social phone number from its id (`phone-number-id-<suffix>`). */
export function phoneNumberArn(scope: Construct, phoneNumberId: string): string {
  return `${arnPrefix(scope, 'social-messaging')}:phone-number-id/${phoneNumberId.replace(/^phone-number-id-/, '')}`;
}

/**
 * ARN of an AWS managed view in the stack's Region: `aws` in place of the account
 * (`arn:aws:connect:<region>:aws:view/cards`, Connect admin guide, "AWS managed views"). It has no
 * version qualifier: none is documented for managed views (UNCONFIRMED, docs/agent-initiated-templates.md).
 */
export function managedViewArn(scope: Construct, name: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:connect:${stack.region}:aws:view/${name}`;
}

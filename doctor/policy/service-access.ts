import {
  evaluatePolicies,
  type PolicyDecision,
  type PolicyDocumentJson,
  type PolicyRequest,
  type RequestPrincipal,
} from './iam-policy-evaluator.js';

/**
 * What each AWS service must be allowed to do with the relay's topics and key, and what no one
 * else may do, as requests the IAM evaluator decides. The CDK tests decide them on the synthesized
 * template (test/infra/doctor-contract.test.ts) and `npm run doctor` on the deployed policies, so
 * a policy that passes the tests and then drifts in the account is caught by the same rules.
 */

/** The deployed (or stand-in) ARNs the requirements name. */
export interface RelayPolicyArns {
  readonly account: string;
  readonly instanceArn: string;
  readonly wabaArn: string;
  readonly inboundTopicArn: string;
  readonly streamingTopicArn: string;
  readonly alarmTopicArn: string;
  readonly keyArn: string;
  /** Every alarm whose action publishes to the alarm topic. */
  readonly alarmArns: readonly string[];
  /** Any role of the account without a grant: it must not be able to forge events. */
  readonly intruderRoleArn: string;
}

/** Which resource policy decides a requirement. */
export type PolicyHolder = 'inboundTopic' | 'streamingTopic' | 'alarmTopic' | 'key';

/** One request, and the decision the relay needs for it. */
export interface AccessRequirement {
  readonly holder: PolicyHolder;
  /** The requirement in a builder's words, e.g. "EUM Social publishes WhatsApp events". */
  readonly what: string;
  readonly request: PolicyRequest;
  readonly expected: 'allowed' | 'refused';
}

const EUM: RequestPrincipal = { kind: 'service', service: 'social-messaging.amazonaws.com' };
const CONNECT: RequestPrincipal = { kind: 'service', service: 'connect.amazonaws.com' };
const SNS: RequestPrincipal = { kind: 'service', service: 'sns.amazonaws.com' };
const CLOUDWATCH: RequestPrincipal = { kind: 'service', service: 'cloudwatch.amazonaws.com' };
const KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

/** A request as IAM sees it: over TLS, with the caller's principal keys and the service's source keys. */
export function serviceRequest(
  principal: RequestPrincipal,
  action: string,
  resource: string,
  account: string,
  context: Readonly<Record<string, string>> = {},
): PolicyRequest {
  return {
    principal,
    action,
    resource,
    context: {
      'aws:SecureTransport': 'true',
      ...(principal.kind === 'aws'
        ? { 'aws:PrincipalArn': principal.arn, 'aws:PrincipalAccount': account }
        : { 'aws:PrincipalServiceName': principal.service }),
      ...context,
    },
  };
}

/**
 * The requirements: each publishing service may publish to its topic (EUM Social user guide,
 * "Add a message and event destination"; Connect admin guide, "Enable real-time chat message
 * streaming"; CloudWatch alarm actions), a role of the account may not, and the key lets each
 * service encrypt for its topic and SNS deliver to the encrypted queues (infra/constructs/encryption.ts).
 */
export function relayAccessRequirements(arns: RelayPolicyArns): AccessRequirement[] {
  const { account } = arns;
  const source = (sourceArn: string) => ({ 'aws:SourceAccount': account, 'aws:SourceArn': sourceArn });
  const intruder: RequestPrincipal = { kind: 'aws', arn: arns.intruderRoleArn };
  const publish = (principal: RequestPrincipal, topic: string, context?: Record<string, string>) =>
    serviceRequest(principal, 'sns:Publish', topic, account, context);
  const useKey = (principal: RequestPrincipal, context: Record<string, string>) =>
    KEY_ACTIONS.map((action) => serviceRequest(principal, action, arns.keyArn, account, context));
  const allowed = (holder: PolicyHolder, what: string) => (request: PolicyRequest) =>
    ({ holder, what, request, expected: 'allowed' }) as const;
  return [
    allowed(
      'inboundTopic',
      'EUM Social publishes WhatsApp events',
    )(publish(EUM, arns.inboundTopicArn, source(arns.wabaArn))),
    {
      holder: 'inboundTopic',
      what: 'a role of the account cannot forge a WhatsApp event',
      request: publish(intruder, arns.inboundTopicArn),
      expected: 'refused',
    },
    allowed(
      'streamingTopic',
      'Connect streams chat items',
    )(publish(CONNECT, arns.streamingTopicArn, source(arns.instanceArn))),
    {
      holder: 'streamingTopic',
      what: 'a role of the account cannot forge a chat item',
      request: publish(intruder, arns.streamingTopicArn),
      expected: 'refused',
    },
    ...arns.alarmArns.map((alarm) =>
      allowed(
        'alarmTopic',
        `CloudWatch publishes alarm ${alarm.replace(/^.*:alarm:/, '')}`,
      )(publish(CLOUDWATCH, arns.alarmTopicArn, source(alarm))),
    ),
    ...useKey(EUM, source(arns.wabaArn)).map(allowed('key', 'EUM Social encrypts for the inbound topic')),
    ...useKey(CONNECT, { 'kms:EncryptionContext:aws:sns:topicArn': arns.streamingTopicArn }).map(
      allowed('key', 'Connect encrypts for the streaming topic'),
    ),
    ...[arns.inboundTopicArn, arns.streamingTopicArn].flatMap((topic) =>
      useKey(SNS, { 'aws:SourceArn': topic }).map(
        allowed('key', `SNS delivers ${topic} to its encrypted queue`),
      ),
    ),
    ...arns.alarmArns.flatMap((alarm) =>
      useKey(CLOUDWATCH, {
        ...source(alarm),
        'kms:EncryptionContext:aws:sns:topicArn': arns.alarmTopicArn,
      }).map(
        allowed('key', `CloudWatch encrypts alarm ${alarm.replace(/^.*:alarm:/, '')} for the alarm topic`),
      ),
    ),
  ];
}

/** The requirements the policies do not meet, each with the decision they got. */
export function unmetRequirements(
  requirements: readonly AccessRequirement[],
  policiesOf: (holder: PolicyHolder) => readonly PolicyDocumentJson[],
): { requirement: AccessRequirement; decision: PolicyDecision['decision'] }[] {
  return requirements.flatMap((requirement) => {
    const { decision } = evaluatePolicies(policiesOf(requirement.holder), requirement.request);
    const met = requirement.expected === 'allowed' ? decision === 'allowed' : decision !== 'allowed';
    return met ? [] : [{ requirement, decision }];
  });
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  evaluatePolicies,
  type PolicyDocumentJson,
  type PolicyRequest,
  type RequestPrincipal,
} from '../../doctor/policy/iam-policy-evaluator.js';
import { serviceRequest } from '../../doctor/policy/service-access.js';
import { buildApp } from '../../infra/build-app.js';
import { loadRelayConfigFile } from '../../infra/config/relay-config.js';
import { RELAY_HANDLED_EVENT_CONTENT_TYPES } from '../../infra/constructs/streaming-filter.js';
import { RELAY_HANDLED_EVENTS } from '../../shared/domain/streaming-item.js';
import { filterPolicyMatches } from '../support/sns-filter-policy.js';
import { type TemplateJson, TemplatePolicies } from '../support/template-policies.js';

const config = loadRelayConfigFile('config/relay.example.json');
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const INSTANCE_ARN = config.connectInstanceArn;
const OTHER_ACCOUNT = '999988887777';
const INTRUDER: RequestPrincipal = {
  kind: 'aws',
  arn: `arn:aws:iam::${ACCOUNT}:role/AnyAppRoleWithSnsPublish`,
};
const CONNECT: RequestPrincipal = { kind: 'service', service: 'connect.amazonaws.com' };
const EUM: RequestPrincipal = { kind: 'service', service: 'social-messaging.amazonaws.com' };
const SNS: RequestPrincipal = { kind: 'service', service: 'sns.amazonaws.com' };
const CLOUDWATCH: RequestPrincipal = { kind: 'service', service: 'cloudwatch.amazonaws.com' };

let template: Template;
let policies: TemplatePolicies;

beforeAll(() => {
  const { stack } = buildApp(config, new App({ outdir: mkdtempSync(join(tmpdir(), 'relay-security-')) }));
  template = Template.fromStack(stack);
  policies = new TemplatePolicies(template.toJSON() as TemplateJson, { account: ACCOUNT, region: REGION });
});

const onlyId = (type: string, pattern: RegExp): string => {
  const ids = policies.idsOf(type).filter((id) => pattern.test(id));
  if (ids.length !== 1) throw new Error(`expected one ${type} matching ${pattern}, found ${ids.join(', ')}`);
  return ids[0] as string;
};

/** A request as IAM sees it (doctor/policy/service-access.ts, the same the doctor decides on deployed policies). */
const request = (
  principal: RequestPrincipal,
  action: string,
  resource: string,
  context: Record<string, string> = {},
): PolicyRequest => serviceRequest(principal, action, resource, ACCOUNT, context);

const decide = (documents: PolicyDocumentJson[], req: PolicyRequest) =>
  evaluatePolicies(documents, req).decision;

describe('only the right services can write to the relay topics', () => {
  it('refuses a forged chat item published to the streaming topic by a role in the account', () => {
    // Prepare
    const topic = onlyId('AWS::SNS::Topic', /ConnectStreamingTopic/);
    const topicArn = policies.arnOf(topic);

    // Act
    const forged = decide(policies.topicPolicies(topic), request(INTRUDER, 'sns:Publish', topicArn));
    const connect = decide(
      policies.topicPolicies(topic),
      request(CONNECT, 'sns:Publish', topicArn, {
        'aws:SourceAccount': ACCOUNT,
        'aws:SourceArn': INSTANCE_ARN,
      }),
    );
    const otherInstance = decide(
      policies.topicPolicies(topic),
      request(CONNECT, 'sns:Publish', topicArn, {
        'aws:SourceAccount': ACCOUNT,
        'aws:SourceArn': `arn:aws:connect:${REGION}:${ACCOUNT}:instance/00000000-0000-0000-0000-000000000000`,
      }),
    );

    // Assess
    expect(forged).toBe('explicit-deny');
    expect(connect).toBe('allowed');
    expect(otherInstance).toBe('explicit-deny');
  });

  it('refuses a forged WhatsApp webhook published to the inbound topic, and EUM Social acting for another account', () => {
    // Prepare
    const topic = onlyId('AWS::SNS::Topic', /WhatsAppInboundTopic/);
    const topicArn = policies.arnOf(topic);
    const eum = (account: string) =>
      request(EUM, 'sns:Publish', topicArn, {
        'aws:SourceAccount': account,
        'aws:SourceArn': `arn:aws:social-messaging:${REGION}:${account}:waba/0a1b2c3d`,
      });

    // Act
    const forged = decide(policies.topicPolicies(topic), request(INTRUDER, 'sns:Publish', topicArn));
    const ours = decide(policies.topicPolicies(topic), eum(ACCOUNT));
    const theirs = decide(policies.topicPolicies(topic), eum(OTHER_ACCOUNT));

    // Assess
    expect(forged).toBe('explicit-deny');
    expect(ours).toBe('allowed');
    expect(theirs).toBe('explicit-deny');
  });

  it('states each topic Deny in the template: source account, and source ARN of the one publishing service', () => {
    // Assess
    for (const [topicPattern, sourceArn] of [
      ['WhatsAppInboundTopic', { ArnNotLike: { 'aws:SourceArn': Match.anyValue() } }],
      ['ConnectStreamingTopic', { ArnNotEquals: { 'aws:SourceArn': INSTANCE_ARN } }],
    ] as const) {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: Match.stringLikeRegexp(topicPattern) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Principal: '*',
              Action: 'sns:Publish',
              Condition: { StringNotEquals: { 'aws:SourceAccount': ACCOUNT } },
            }),
            Match.objectLike({ Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Condition: sourceArn }),
          ]),
        },
      });
    }
  });
});

describe('only the right senders can write to the relay queues', () => {
  it('refuses a message sent straight to any queue by a role in the account, whatever the queue', () => {
    // Prepare
    const queues = policies.idsOf('AWS::SQS::Queue');

    // Act
    const decisions = queues.map((queue) =>
      decide(policies.queuePolicies(queue), request(INTRUDER, 'sqs:SendMessage', policies.arnOf(queue))),
    );

    // Assess
    expect(queues.length).toBeGreaterThanOrEqual(4);
    expect(decisions).toEqual(queues.map(() => 'explicit-deny'));
  });

  it('lets each topic deliver to its own queue only', () => {
    // Prepare
    const inboundTopic = policies.arnOf(onlyId('AWS::SNS::Topic', /WhatsAppInboundTopic/));
    const streamingTopic = policies.arnOf(onlyId('AWS::SNS::Topic', /ConnectStreamingTopic/));
    const inboundQueue = onlyId('AWS::SQS::Queue', /^InboundRelayQueue(?!DeadLetter)/);
    const deliver = (queue: string, topicArn: string) =>
      decide(
        policies.queuePolicies(queue),
        request(SNS, 'sqs:SendMessage', policies.arnOf(queue), { 'aws:SourceArn': topicArn }),
      );

    // Act
    const own = deliver(inboundQueue, inboundTopic);
    const crossed = deliver(inboundQueue, streamingTopic);
    const foreign = deliver(inboundQueue, `arn:aws:sns:${REGION}:${ACCOUNT}:someone-elses-topic`);

    // Assess
    expect(own).toBe('allowed');
    expect(crossed).toBe('explicit-deny');
    expect(foreign).toBe('explicit-deny');
  });

  it('lets the relay functions dead-letter, and the redrive role put dead letters back', () => {
    // Prepare
    // The relay dead-letters into its FIFO DLQ (the one behind the ordering stage).
    const dlq = onlyId('AWS::SQS::Queue', /^InboundRelayOrderingFifoDeadLetter/);
    const queue = onlyId('AWS::SQS::Queue', /^InboundRelayOrderingFifoQueue/);
    const inboundRole = {
      kind: 'aws',
      arn: policies.arnOf(onlyId('AWS::IAM::Role', /^InboundRelayFunctionRole/)),
    } as const;
    const redriveRole = {
      kind: 'aws',
      arn: policies.arnOf(onlyId('AWS::IAM::Role', /^RedriveRole/)),
    } as const;

    // Act
    const deadLettering = decide(
      policies.queuePolicies(dlq),
      request(inboundRole, 'sqs:SendMessage', policies.arnOf(dlq)),
    );
    const redriving = decide(
      policies.queuePolicies(queue),
      request(redriveRole, 'sqs:SendMessage', policies.arnOf(queue)),
    );
    const functionIntoWorkQueue = decide(
      policies.queuePolicies(queue),
      request(inboundRole, 'sqs:SendMessage', policies.arnOf(queue)),
    );

    // Assess: no explicit Deny (their own IAM policies grant the send)
    expect(deadLettering).not.toBe('explicit-deny');
    expect(redriving).not.toBe('explicit-deny');
    expect(functionIntoWorkQueue).toBe('explicit-deny');
  });

  it('states the Deny on every queue in the template', () => {
    // Assess
    for (const queue of policies.idsOf('AWS::SQS::Queue')) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queue }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Principal: '*',
              Action: 'sqs:SendMessage',
              Condition: { ArnNotEquals: Match.anyValue() },
            }),
          ]),
        },
      });
    }
  });
});

describe('the relay key follows each service’s documented key policy', () => {
  const keyRequest = (principal: RequestPrincipal, context: Record<string, string>) => {
    const topic = onlyId('AWS::SNS::Topic', /ConnectStreamingTopic/);
    const { keyArn, policy } = policies.keyPolicyOf(topic);
    return (action: string) => decide([policy], request(principal, action, keyArn, context));
  };

  it('lets Connect encrypt streaming items without aws:SourceAccount, which its guide does not promise', () => {
    // Prepare
    const streamingTopic = policies.arnOf(onlyId('AWS::SNS::Topic', /ConnectStreamingTopic/));
    const connect = keyRequest(CONNECT, { 'kms:EncryptionContext:aws:sns:topicArn': streamingTopic });
    const elsewhere = keyRequest(CONNECT, {
      'kms:EncryptionContext:aws:sns:topicArn': `arn:aws:sns:${REGION}:${OTHER_ACCOUNT}:their-topic`,
    });

    // Act + Assess
    expect(connect('kms:GenerateDataKey')).toBe('allowed');
    expect(connect('kms:Decrypt')).toBe('allowed');
    expect(elsewhere('kms:GenerateDataKey')).toBe('implicit-deny');
  });

  it('lets EUM Social use the key for this account only, as its guide writes it', () => {
    // Prepare
    const eum = (account: string) =>
      keyRequest(EUM, {
        'aws:SourceAccount': account,
        'aws:SourceArn': `arn:aws:social-messaging:${REGION}:${account}:waba/0a1b2c3d`,
      });

    // Act + Assess
    expect(eum(ACCOUNT)('kms:GenerateDataKey')).toBe('allowed');
    expect(eum(OTHER_ACCOUNT)('kms:GenerateDataKey')).toBe('implicit-deny');
  });

  it('lets SNS deliver to the encrypted queues only for topics of this account', () => {
    // Prepare
    const inboundTopic = policies.arnOf(onlyId('AWS::SNS::Topic', /WhatsAppInboundTopic/));
    const sns = (sourceArn: string) => keyRequest(SNS, { 'aws:SourceArn': sourceArn });

    // Act + Assess
    expect(sns(inboundTopic)('kms:GenerateDataKey')).toBe('allowed');
    expect(sns(`arn:aws:sns:${REGION}:${OTHER_ACCOUNT}:t`)('kms:GenerateDataKey')).toBe('implicit-deny');
    expect(sns(inboundTopic)('kms:Encrypt')).toBe('implicit-deny');
  });

  it('grants no AWS service the key without a condition', () => {
    // Prepare
    const { policy } = policies.keyPolicyOf(onlyId('AWS::SNS::Topic', /ConnectStreamingTopic/));
    const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];

    // Act
    const unconditioned = statements.filter(
      (statement) => JSON.stringify(statement.Principal ?? {}).includes('Service') && !statement.Condition,
    );

    // Assess
    expect(unconditioned).toEqual([]);
  });
});

describe('alarms reach a person', () => {
  it('lets CloudWatch publish every alarm action, checked on both the topic policy and its key', () => {
    // Prepare
    const alarms = policies.idsOf('AWS::CloudWatch::Alarm');
    const checks = alarms.flatMap((alarm) => {
      const actions = (policies.resource(alarm).Properties?.AlarmActions ?? []) as unknown[];
      return actions.map((action) => ({ alarm, topic: policies.referencedId(action) }));
    });

    // Act
    const refused = checks.flatMap(({ alarm, topic }) => {
      const context = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': policies.arnOf(alarm) };
      const topicArn = policies.arnOf(topic);
      const { keyArn, policy } = policies.keyPolicyOf(topic);
      const keyContext = { ...context, 'kms:EncryptionContext:aws:sns:topicArn': topicArn };
      const outcomes = {
        topic: decide(policies.topicPolicies(topic), request(CLOUDWATCH, 'sns:Publish', topicArn, context)),
        generateDataKey: decide([policy], request(CLOUDWATCH, 'kms:GenerateDataKey', keyArn, keyContext)),
        decrypt: decide([policy], request(CLOUDWATCH, 'kms:Decrypt', keyArn, keyContext)),
      };
      return Object.entries(outcomes)
        .filter(([, decision]) => decision !== 'allowed')
        .map(([what, decision]) => `${alarm} → ${topic} (${what}): ${decision}`);
    });

    // Assess
    expect(checks.length).toBeGreaterThanOrEqual(10);
    expect(refused).toEqual([]);
  });

  it("refuses another account's alarms on the alarm topic and its key", () => {
    // Prepare
    const topic = onlyId('AWS::SNS::Topic', /AlarmTopic/);
    const topicArn = policies.arnOf(topic);
    const { keyArn, policy } = policies.keyPolicyOf(topic);
    const context = {
      'aws:SourceAccount': OTHER_ACCOUNT,
      'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${OTHER_ACCOUNT}:alarm:theirs`,
    };

    // Act
    const publish = decide(
      policies.topicPolicies(topic),
      request(CLOUDWATCH, 'sns:Publish', topicArn, context),
    );
    const key = decide([policy], request(CLOUDWATCH, 'kms:GenerateDataKey', keyArn, context));

    // Assess
    expect(publish).toBe('implicit-deny');
    expect(key).toBe('implicit-deny');
  });
});

describe('the streaming subscription filter', () => {
  const CHAT_ENDED = 'application/vnd.amazonaws.connect.event.chat.ended';
  const filter = () => {
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).filter(
      (subscription) => JSON.stringify(subscription.Properties.TopicArn).includes('ConnectStreamingTopic'),
    );
    expect(subscriptions).toHaveLength(1);
    return subscriptions[0]?.Properties.FilterPolicy as Record<string, unknown>;
  };
  /** The attributes Connect puts on a streamed item (sns-payload.md). */
  const attributes = (item: Record<string, string>) => ({
    InitialContactId: 'c-1',
    ContactId: 'c-1',
    AccountId: ACCOUNT,
    InstanceId: 'a1b2c3d4-5678-90ab-cdef-111122223333',
    ...item,
  });

  it.each([
    ['chat.ended without MessageVisibility or a role', true, { Type: 'EVENT', ContentType: CHAT_ENDED }],
    [
      'chat.ended from the system without MessageVisibility',
      true,
      { Type: 'EVENT', ContentType: CHAT_ENDED, ParticipantRole: 'SYSTEM' },
    ],
    [
      'an agent typing, visible to agents only',
      true,
      {
        Type: 'EVENT',
        ContentType: 'application/vnd.amazonaws.connect.event.typing',
        ParticipantRole: 'AGENT',
        MessageVisibility: 'AGENT',
      },
    ],
    [
      'an agent message for everyone',
      true,
      { Type: 'MESSAGE', ContentType: 'text/plain', ParticipantRole: 'AGENT', MessageVisibility: 'ALL' },
    ],
    [
      "the customer's own message echoed back",
      false,
      { Type: 'MESSAGE', ContentType: 'text/plain', ParticipantRole: 'CUSTOMER', MessageVisibility: 'ALL' },
    ],
    [
      "the customer's own read receipt",
      false,
      {
        Type: 'EVENT',
        ContentType: 'application/vnd.amazonaws.connect.event.message.read',
        ParticipantRole: 'CUSTOMER',
        MessageVisibility: 'ALL',
      },
    ],
    [
      'an agent-only message (a whisper or note)',
      false,
      { Type: 'MESSAGE', ContentType: 'text/plain', ParticipantRole: 'AGENT', MessageVisibility: 'AGENT' },
    ],
  ] as const)('%s: delivered = %s', (_, delivered, item) => {
    // Act
    const matches = filterPolicyMatches(filter(), attributes(item));

    // Assess
    expect(matches).toBe(delivered);
  });

  it('passes exactly the events the outbound relay handles in code', () => {
    // Assess
    expect([...RELAY_HANDLED_EVENT_CONTENT_TYPES].sort()).toEqual([...RELAY_HANDLED_EVENTS].sort());
  });
});

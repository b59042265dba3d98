import type { PolicyDocumentJson, PolicyStatementJson } from '../../doctor/policy/iam-policy-evaluator.js';
import { parseRelayConfig, type RelayConfig } from '../../infra/config/relay-config.js';
import { STACK_NAME } from '../../infra/config/stack-name.js';

/**
 * A deployed relay as AWS would describe it, healthy by default: the state behind the doctor's
 * SDK fakes (test/support/fake-aws-doctor.ts). A test breaks one thing in it and runs the doctor.
 * The policies are the ones the stack's constructs write (infra/constructs/messaging.ts,
 * encryption.ts, observability.ts); test/infra/doctor-contract.test.ts holds the doctor's rules
 * against the synthesized template itself.
 */

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
const INSTANCE_ID = 'a1b2c3d4-5678-90ab-cdef-111122223333';
export const INSTANCE_ARN = `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${INSTANCE_ID}`;
const WABA_ID = 'waba-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const WABA_ARN = `arn:aws:social-messaging:${REGION}:${ACCOUNT}:waba/0a1b2c3d4e5f60718293a4b5c6d7e8f9`;
export const PHONE_NUMBER_ID = 'phone-number-id-0123456789abcdef0123456789abcdef';
export const CONFIGURED_FLOW_ID = 'f1f2f3f4-0000-1111-2222-333344445555';
export const GUIDE_VIEW_ARN = `${INSTANCE_ARN}/view/9e8d7c6b-0000-1111-2222-333344445555`;

const topic = (name: string) => `arn:aws:sns:${REGION}:${ACCOUNT}:${STACK_NAME}-${name}`;
export const INBOUND_TOPIC = topic('MessagingWhatsAppInboundTopic-1A2B3C4D5E6F');
export const STREAMING_TOPIC = topic('MessagingConnectStreamingTopic-2B3C4D5E6F7A');
export const ALARM_TOPIC = topic('ObservabilityAlarmTopic-3C4D5E6F7A8B');
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const queueUrl = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${STACK_NAME}-${name}`;
export const DEAD_LETTER_QUEUES = {
  InboundDeadLetterQueueUrl: queueUrl('InboundRelayQueueDeadLetters-4D5E6F7A8B9C'),
  InboundOrderedDeadLetterQueueUrl: queueUrl('InboundRelayOrderedDeadLetters-5E6F7A8B9C0D.fifo'),
  OutboundDeadLetterQueueUrl: queueUrl('OutboundRelayQueueDeadLetters-6F7A8B9C0D1E'),
  OutboundOrderedDeadLetterQueueUrl: queueUrl('OutboundRelayOrderedDeadLetters-7A8B9C0D1E2F.fifo'),
} as const;

/** The configuration the stack was deployed with: the example, finished (Guide view, alarm e-mail). */
export function deployedConfig(): RelayConfig {
  return parseRelayConfig(
    {
      connectInstanceArn: INSTANCE_ARN,
      businessNumbers: [{ phoneNumberId: PHONE_NUMBER_ID, inboundFlowId: CONFIGURED_FLOW_ID }],
      whatsAppBusinessAccountId: WABA_ID,
      eumSocialRegion: REGION,
      defaultQueueArn: `${INSTANCE_ARN}/queue/b1b2b3b4-0000-1111-2222-333344445555`,
      alarmEmail: 'on-call@example.com',
      guideViewArn: GUIDE_VIEW_ARN,
    },
    'the fake deployment',
  );
}

export interface FakeFlow {
  name: string;
  state: 'ACTIVE' | 'ARCHIVED';
  status: 'PUBLISHED' | 'SAVED';
  /** Connect answers ContactFlowNotPublishedException for a flow never published. */
  neverPublished?: boolean;
}

export interface FakeAlarm {
  name: string;
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  actionsEnabled: boolean;
  actions: string[];
  description: string;
}

export interface FakeDeadLetter {
  reason?: string;
}

/** Everything the doctor can read, as plain data a test edits. `undefined` means "does not exist". */
export interface FakeDeployment {
  stack?: {
    status: string;
    outputs: Record<string, string>;
    resources: { logicalId: string; physicalId: string; type: string }[];
  };
  waba?: { registrationStatus: 'COMPLETE' | 'INCOMPLETE'; destination?: string };
  numbers: Record<string, { linkedTo: string; quality: string; display: string } | undefined>;
  instance?: { status: string; alias: string };
  attachmentsBucket?: string;
  flows: Record<string, FakeFlow | undefined>;
  views: Record<string, { name: string; status: 'PUBLISHED' | 'SAVED' } | undefined>;
  integratedFunctions: string[];
  workspace?: { id: string; name: string; pages: { Page: string; Slug: string; ResourceArn: string }[] };
  topicPolicies: Record<string, PolicyDocumentJson | string | undefined>;
  keyPolicy: PolicyDocumentJson | string;
  deadLetters: Record<string, FakeDeadLetter[]>;
  alarms: FakeAlarm[];
  subscriptions: { SubscriptionArn: string; Protocol: string; Endpoint: string }[];
  /** API calls that fail, by command name, with the error name they fail with. */
  refused: Record<string, string>;
}

const flowArn = (id: string) => `${INSTANCE_ARN}/contact-flow/${id}`;
const STACK_FLOWS = {
  'c0ffee00-0000-1111-2222-000000000001': 'WhatsApp inbound routing',
  'c0ffee00-0000-1111-2222-000000000002': 'WhatsApp route-back wait',
  'c0ffee00-0000-1111-2222-000000000003': 'WhatsApp agent-initiated template guide',
};
const VIEW_VERSIONS = {
  [`${INSTANCE_ARN}/view/aaaa0000-0000-1111-2222-000000000001:1`]: 'WhatsAppTemplateChoose',
  [`${INSTANCE_ARN}/view/aaaa0000-0000-1111-2222-000000000002:1`]: 'WhatsAppTemplateSend',
  [`${INSTANCE_ARN}/view/aaaa0000-0000-1111-2222-000000000003:1`]: 'WhatsAppTemplateOutcome',
};
const FUNCTIONS = {
  AgentInitiatedTemplatesCustomerDataFunction3A1B2C4D: `${STACK_NAME}-AgentInitiatedTemplatesCust-Ab12Cd34`,
  AgentInitiatedTemplatesSendTemplateFunction5E6F7A8B: `${STACK_NAME}-AgentInitiatedTemplatesSend-Ef56Gh78`,
  InboundRelayFunction9C0D1E2F: `${STACK_NAME}-InboundRelayFunction-Ij90Kl12`,
};
const ALARMS = ['InboundDeadLetters', 'InboundBacklog', 'OutboundDeadLetters', 'OutboundBacklog'].map(
  (name) => `${STACK_NAME}-Observability${name}-${name.length}AB`,
);
export const WORKSPACE_ID = 'ffff0000-0000-1111-2222-000000000001';

/** The healthy deployment: every check the doctor makes passes on it. */
export function healthyDeployment(): FakeDeployment {
  const config = deployedConfig();
  const resources = [
    { logicalId: 'EncryptionKey1B843E66', physicalId: KEY_ID, type: 'AWS::KMS::Key' },
    {
      logicalId: 'MessagingWhatsAppInboundTopic1A2B3C4D',
      physicalId: INBOUND_TOPIC,
      type: 'AWS::SNS::Topic',
    },
    {
      logicalId: 'MessagingConnectStreamingTopic2B3C4D5E',
      physicalId: STREAMING_TOPIC,
      type: 'AWS::SNS::Topic',
    },
    { logicalId: 'ObservabilityAlarmTopic3C4D5E6F', physicalId: ALARM_TOPIC, type: 'AWS::SNS::Topic' },
    ...Object.keys(STACK_FLOWS).map((id, index) => ({
      logicalId: `Flow${index}`,
      physicalId: flowArn(id),
      type: 'AWS::Connect::ContactFlow',
    })),
    ...Object.keys(VIEW_VERSIONS).map((arn, index) => ({
      logicalId: `ViewVersion${index}`,
      physicalId: arn,
      type: 'AWS::Connect::ViewVersion',
    })),
    ...Object.entries(FUNCTIONS).map(([logicalId, name]) => ({
      logicalId,
      physicalId: name,
      type: 'AWS::Lambda::Function',
    })),
    {
      logicalId: 'AgentInitiatedTemplatesGuideWorkspace1F2E3D4C',
      physicalId: `${INSTANCE_ARN}/workspace/${WORKSPACE_ID}`,
      type: 'AWS::Connect::Workspace',
    },
    ...ALARMS.map((name, index) => ({
      logicalId: `Alarm${index}`,
      physicalId: name,
      type: 'AWS::CloudWatch::Alarm',
    })),
  ];
  return {
    stack: {
      status: 'UPDATE_COMPLETE',
      outputs: {
        WhatsAppInboundTopicArn: INBOUND_TOPIC,
        ConnectStreamingTopicArn: STREAMING_TOPIC,
        ...DEAD_LETTER_QUEUES,
        RedriveRoleArn: `arn:aws:iam::${ACCOUNT}:role/${STACK_NAME}-RedriveRole`,
      },
      resources,
    },
    waba: { registrationStatus: 'COMPLETE', destination: INBOUND_TOPIC },
    numbers: { [PHONE_NUMBER_ID]: { linkedTo: WABA_ID, quality: 'GREEN', display: '+1 555-010-0199' } },
    instance: { status: 'ACTIVE', alias: 'example-contact-centre' },
    attachmentsBucket: 'example-connect-attachments',
    flows: {
      [CONFIGURED_FLOW_ID]: { name: 'Sales chat', state: 'ACTIVE', status: 'PUBLISHED' },
      ...Object.fromEntries(
        Object.entries(STACK_FLOWS).map(([id, name]) => [
          id,
          { name, state: 'ACTIVE', status: 'PUBLISHED' } as FakeFlow,
        ]),
      ),
    },
    views: {
      ...Object.fromEntries(
        Object.entries(VIEW_VERSIONS).map(([arn, name]) => [arn, { name, status: 'PUBLISHED' as const }]),
      ),
      [GUIDE_VIEW_ARN]: { name: 'WhatsApp template guide', status: 'PUBLISHED' },
    },
    integratedFunctions: [
      FUNCTIONS.AgentInitiatedTemplatesCustomerDataFunction3A1B2C4D,
      FUNCTIONS.AgentInitiatedTemplatesSendTemplateFunction5E6F7A8B,
    ].map((name) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`),
    workspace: {
      id: WORKSPACE_ID,
      name: 'WhatsApp templates',
      pages: [{ Page: 'send-whatsapp', Slug: 'send-whatsapp', ResourceArn: config.guideViewArn ?? '' }],
    },
    topicPolicies: {
      [INBOUND_TOPIC]: sealedTopicPolicy(INBOUND_TOPIC, 'EumSocial', 'social-messaging.amazonaws.com', {
        account: ACCOUNT,
        sourceArn: {
          operator: 'ArnLike',
          negation: 'ArnNotLike',
          value: `arn:aws:social-messaging:${REGION}:${ACCOUNT}:*`,
        },
      }),
      [STREAMING_TOPIC]: sealedTopicPolicy(STREAMING_TOPIC, 'ConnectInstance', 'connect.amazonaws.com', {
        account: ACCOUNT,
        sourceArn: { operator: 'ArnEquals', negation: 'ArnNotEquals', value: INSTANCE_ARN },
      }),
      [ALARM_TOPIC]: {
        Statement: [
          sslOnly(ALARM_TOPIC),
          {
            Sid: 'AllowCloudWatchAlarmsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: ALARM_TOPIC,
            Condition: alarmConditions(),
          },
        ],
      },
    },
    keyPolicy: relayKeyPolicy(),
    deadLetters: Object.fromEntries(Object.values(DEAD_LETTER_QUEUES).map((url) => [url, []])),
    alarms: ALARMS.map((name) => ({
      name,
      state: 'OK',
      actionsEnabled: true,
      actions: [ALARM_TOPIC],
      description: `${name.replace(/^.*Observability|-.*$/g, '')}: see README → Operations.`,
    })),
    subscriptions: [
      {
        SubscriptionArn: `${ALARM_TOPIC}:0f1e2d3c-0000-1111-2222-333344445555`,
        Protocol: 'email',
        Endpoint: 'on-call@example.com',
      },
    ],
    refused: {},
  };
}

function sslOnly(topicArn: string): PolicyStatementJson {
  return {
    Sid: 'AllowPublishThroughSSLOnly',
    Effect: 'Deny',
    Principal: '*',
    Action: 'sns:Publish',
    Resource: topicArn,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** The topic policy messaging.ts writes: the one service may publish; a Deny per condition refuses everyone else. */
function sealedTopicPolicy(
  topicArn: string,
  name: string,
  service: string,
  conditions: { account: string; sourceArn: { operator: string; negation: string; value: string } },
): PolicyDocumentJson {
  const { sourceArn } = conditions;
  return {
    Statement: [
      sslOnly(topicArn),
      {
        Sid: `Allow${name}Only`,
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: {
          StringEquals: { 'aws:SourceAccount': conditions.account },
          [sourceArn.operator]: { 'aws:SourceArn': sourceArn.value },
        },
      },
      {
        Sid: `DenyPublishUnless${name}SourceAccount`,
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { StringNotEquals: { 'aws:SourceAccount': conditions.account } },
      },
      {
        Sid: `DenyPublishUnless${name}SourceArn`,
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { [sourceArn.negation]: { 'aws:SourceArn': sourceArn.value } },
      },
    ],
  };
}

function alarmConditions() {
  return {
    StringEquals: { 'aws:SourceAccount': ACCOUNT },
    ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:*` },
  };
}

/** The key policy encryption.ts writes, after the account root statement CDK adds. */
function relayKeyPolicy(): PolicyDocumentJson {
  const publish = ['kms:GenerateDataKey*', 'kms:Decrypt'];
  const service = (
    sid: string,
    principal: string,
    actions: string[],
    condition: PolicyStatementJson['Condition'],
  ) =>
    ({
      Sid: sid,
      Effect: 'Allow',
      Principal: { Service: principal },
      Action: actions,
      Resource: '*',
      Condition: condition,
    }) as const;
  return {
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      service('AllowEumSocialForThisAccount', 'social-messaging.amazonaws.com', publish, {
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
        ArnLike: { 'aws:SourceArn': `arn:aws:social-messaging:${REGION}:${ACCOUNT}:*` },
      }),
      service('AllowConnectStreamingToThisAccountsTopics', 'connect.amazonaws.com', publish, {
        StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': `arn:aws:sns:${REGION}:${ACCOUNT}:*` },
      }),
      service(
        'AllowSnsDeliveryFromThisAccountsTopics',
        'sns.amazonaws.com',
        ['kms:GenerateDataKey', 'kms:Decrypt'],
        {
          ArnLike: { 'aws:SourceArn': `arn:aws:sns:${REGION}:${ACCOUNT}:*` },
        },
      ),
      service('AllowCloudWatchAlarmsOfThisAccount', 'cloudwatch.amazonaws.com', publish, alarmConditions()),
    ],
  };
}

/**
 * The broken deployment the README shows: the mistakes builders make most after a first deploy
 * (console steps skipped, another app still holding the WABA's events, the alarm e-mail never
 * confirmed) and one conversation dead-lettered.
 */
export function brokenDeployment(): FakeDeployment {
  const state = healthyDeployment();
  if (state.waba) state.waba.destination = `arn:aws:sns:${REGION}:${ACCOUNT}:connect-native-whatsapp`;
  state.attachmentsBucket = undefined;
  state.deadLetters[DEAD_LETTER_QUEUES.InboundOrderedDeadLetterQueueUrl] = [
    { reason: 'ChatStartRefused:AccessDeniedException' },
    {},
  ];
  state.subscriptions = [
    { SubscriptionArn: 'PendingConfirmation', Protocol: 'email', Endpoint: 'on-call@example.com' },
  ];
  return state;
}

import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckGroup, CheckLine } from '../../doctor/checklist.js';
import type { PolicyDocumentJson, PolicyStatementJson } from '../../doctor/policy/iam-policy-evaluator.js';
import { runDoctor } from '../../doctor/run-doctor.js';
import { targetOf } from '../../doctor/target.js';
import { installFakeAws } from '../support/fake-aws-doctor.js';
import {
  ALARM_TOPIC,
  CONFIGURED_FLOW_ID,
  DEAD_LETTER_QUEUES,
  deployedConfig,
  type FakeDeployment,
  GUIDE_VIEW_ARN,
  healthyDeployment,
  INBOUND_TOPIC,
  PHONE_NUMBER_ID,
  STREAMING_TOPIC,
} from '../support/fake-deployment.js';

let fake: ReturnType<typeof installFakeAws> | undefined;
afterEach(() => {
  fake?.restore();
  fake = undefined;
});

async function doctor(state: FakeDeployment, config = deployedConfig()): Promise<CheckGroup[]> {
  fake = installFakeAws(state);
  return runDoctor(fake.clients, targetOf(config, 'config/relay.json'));
}

const failures = (groups: readonly CheckGroup[]) =>
  groups
    .flatMap((group) => group.lines)
    .filter((line): line is Extract<CheckLine, { status: 'fail' }> => line.status === 'fail');

/** Removes one statement, by Sid, from a policy of the fake deployment. */
function withoutStatement(policy: PolicyDocumentJson | string | undefined, sid: string): PolicyDocumentJson {
  const document = (typeof policy === 'string' ? JSON.parse(policy) : policy) as PolicyDocumentJson;
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return { Statement: statements.filter((statement: PolicyStatementJson) => statement.Sid !== sid) };
}

describe('npm run doctor on a healthy deployment', () => {
  it('passes every check, and only reads', async () => {
    // Prepare
    const state = healthyDeployment();

    // Act
    const groups = await doctor(state);

    // Assess
    expect(failures(groups)).toEqual([]);
    expect(groups.map((group) => group.heading)).toEqual([
      expect.stringContaining('Stack WhatsAppConnectRelay'),
      expect.stringContaining('WhatsApp'),
      expect.stringContaining('Amazon Connect'),
      'Agent-initiated template guide',
      'Policies',
      'Dead-letter queues',
      'Alarms',
    ]);
    const sent = fake?.commandsSent() ?? [];
    expect(sent.length).toBeGreaterThan(20);
    expect(sent.filter((name) => !/^(Describe|List|Get|Receive)/.test(name))).toEqual([]);
  });
});

/** One thing broken in the deployment, the line that must fail, and what its fix must say. */
interface Breakage {
  readonly scenario: string;
  readonly breakIt: (state: FakeDeployment) => void;
  readonly failing: string;
  readonly fix: string;
}

const BREAKAGES: readonly Breakage[] = [
  {
    scenario: 'the last deploy rolled back',
    breakIt: (state) => {
      if (state.stack) state.stack.status = 'UPDATE_ROLLBACK_COMPLETE';
    },
    failing: 'The stack is deployed',
    fix: 'aws cloudformation describe-stack-events --stack-name WhatsAppConnectRelay',
  },
  {
    scenario: 'the WABA was never linked in this Region',
    breakIt: (state) => {
      state.waba = undefined;
    },
    failing: 'The WhatsApp Business Account is linked',
    fix: 'Link it in the AWS End User Messaging Social console in us-east-1',
  },
  {
    scenario: "the WABA's sign-up was not finished",
    breakIt: (state) => {
      if (state.waba) state.waba.registrationStatus = 'INCOMPLETE';
    },
    failing: 'The WhatsApp Business Account is linked',
    fix: 'Finish the sign-up in the EUM Social console',
  },
  {
    scenario: "the WABA's events still go to Connect's native WhatsApp channel",
    breakIt: (state) => {
      if (state.waba) state.waba.destination = 'arn:aws:sns:us-east-1:111122223333:native-whatsapp';
    },
    failing: "The WABA's event destination is this stack's inbound topic",
    fix: '"takeOverEventDestination": true',
  },
  {
    scenario: 'someone cleared the event destination',
    breakIt: (state) => {
      if (state.waba) state.waba.destination = undefined;
    },
    failing: "The WABA's event destination is this stack's inbound topic",
    fix: `the stack sets it to ${INBOUND_TOPIC}`,
  },
  {
    scenario: 'a configured business number was removed from EUM Social',
    breakIt: (state) => {
      state.numbers[PHONE_NUMBER_ID] = undefined;
    },
    failing: `Business number ${PHONE_NUMBER_ID} is linked`,
    fix: 'or remove it from businessNumbers',
  },
  {
    scenario: 'a configured business number belongs to another WABA',
    breakIt: (state) => {
      const number = state.numbers[PHONE_NUMBER_ID];
      if (number) number.linkedTo = 'waba-ffffffffffffffffffffffffffffffff';
    },
    failing: `Business number ${PHONE_NUMBER_ID} is linked`,
    fix: 'set whatsAppBusinessAccountId to waba-ffffffffffffffffffffffffffffffff',
  },
  {
    scenario: "Meta rates the business number's quality RED",
    breakIt: (state) => {
      const number = state.numbers[PHONE_NUMBER_ID];
      if (number) number.quality = 'RED';
    },
    failing: `Business number ${PHONE_NUMBER_ID} is linked`,
    fix: 'WhatsApp Manager → Insights',
  },
  {
    scenario: 'the Connect instance in the config does not exist',
    breakIt: (state) => {
      state.instance = undefined;
    },
    failing: 'The Connect instance exists',
    fix: 'Correct connectInstanceArn in config/relay.json',
  },
  {
    scenario: 'attachments were never enabled on the instance',
    breakIt: (state) => {
      state.attachmentsBucket = undefined;
    },
    failing: 'Attachments are enabled on the instance',
    fix: 'Data storage → Attachments',
  },
  {
    scenario: "a number's configured inbound flow was deleted",
    breakIt: (state) => {
      state.flows[CONFIGURED_FLOW_ID] = undefined;
    },
    failing: `The inbound flow ${CONFIGURED_FLOW_ID} of ${PHONE_NUMBER_ID} is published`,
    fix: 'Correct businessNumbers[].inboundFlowId',
  },
  {
    scenario: "a number's inbound flow was saved but never published",
    breakIt: (state) => {
      const flow = state.flows[CONFIGURED_FLOW_ID];
      if (flow) flow.neverPublished = true;
    },
    failing: `The inbound flow ${CONFIGURED_FLOW_ID} of ${PHONE_NUMBER_ID} is published`,
    fix: 'choose Publish',
  },
  {
    scenario: "the stack's inbound routing flow was archived in the console",
    breakIt: (state) => {
      const flow = state.flows['c0ffee00-0000-1111-2222-000000000001'];
      if (flow) flow.state = 'ARCHIVED';
    },
    failing: "The stack's flow c0ffee00-0000-1111-2222-000000000001 is published",
    fix: 'Restore it in the Connect console',
  },
  {
    scenario: 'an edited flow was saved and not published',
    breakIt: (state) => {
      const flow = state.flows['c0ffee00-0000-1111-2222-000000000003'];
      if (flow) flow.status = 'SAVED';
    },
    failing: "The stack's flow c0ffee00-0000-1111-2222-000000000003 is published",
    fix: 'choose Publish',
  },
  {
    scenario: 'the Guide view made in the console was left unpublished',
    breakIt: (state) => {
      state.views[GUIDE_VIEW_ARN] = { name: 'WhatsApp template guide', status: 'SAVED' };
    },
    failing: 'The Guide view (guideViewArn) is published',
    fix: 'choose Publish',
  },
  {
    scenario: 'a view version the guide shows was deleted',
    breakIt: (state) => {
      const version = Object.keys(state.views).find((arn) => arn.endsWith(':1'));
      if (version) state.views[version] = undefined;
    },
    failing: 'The guide view version aaaa0000-0000-1111-2222-000000000001:1 is published',
    fix: 'to publish a new version',
  },
  {
    scenario: 'the send-template function lost its integration with the instance',
    breakIt: (state) => {
      state.integratedFunctions = state.integratedFunctions.filter((arn) => !arn.includes('Send'));
    },
    failing: "The guide's Lambda functions are integrated with the instance",
    fix: 'aws connect associate-lambda-function',
  },
  {
    scenario: 'the template workspace was deleted in the console',
    breakIt: (state) => {
      state.workspace = undefined;
    },
    failing: 'The WhatsApp templates workspace exists',
    fix: 'to recreate it',
  },
  {
    scenario: 'the workspace page shows another view than the configured Guide view',
    breakIt: (state) => {
      if (state.workspace)
        state.workspace.pages = [
          { Page: 'send-whatsapp', Slug: 'send-whatsapp', ResourceArn: `${GUIDE_VIEW_ARN}-old` },
        ];
    },
    failing: 'The workspace has its send-whatsapp page',
    fix: 'the stack puts the page on the workspace with guideViewArn',
  },
  {
    scenario: 'someone let every role of the account publish to the inbound topic',
    breakIt: (state) => {
      state.topicPolicies[INBOUND_TOPIC] = {
        Statement: [
          {
            Sid: 'Open',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'sns:Publish',
            Resource: INBOUND_TOPIC,
          },
        ],
      };
    },
    failing: 'The inbound topic policy lets EUM Social publish, and no one else',
    fix: 'aws cloudformation detect-stack-drift --stack-name WhatsAppConnectRelay',
  },
  {
    scenario: "the streaming topic policy lost Connect's permission, so agent replies stop",
    breakIt: (state) => {
      state.topicPolicies[STREAMING_TOPIC] = withoutStatement(
        state.topicPolicies[STREAMING_TOPIC],
        'AllowConnectInstanceOnly',
      );
    },
    failing: 'The streaming topic policy lets Connect publish, and no one else',
    fix: 'Deploy again (npx cdk deploy -c relayConfigFile=config/relay.json)',
  },
  {
    scenario: "the alarm topic policy lost CloudWatch's permission, so alarms page no one",
    breakIt: (state) => {
      state.topicPolicies[ALARM_TOPIC] = withoutStatement(
        state.topicPolicies[ALARM_TOPIC],
        'AllowCloudWatchAlarmsOfThisAccount',
      );
    },
    failing: 'The alarm topic policy lets every alarm of the stack publish',
    fix: 'Deploy again',
  },
  {
    scenario: 'the key policy lost EUM Social, so WhatsApp events cannot be encrypted',
    breakIt: (state) => {
      state.keyPolicy = withoutStatement(state.keyPolicy, 'AllowEumSocialForThisAccount');
    },
    failing: 'The key policy lets EUM Social, Connect, SNS and CloudWatch use the relay key',
    fix: 'Deploy again',
  },
  {
    scenario: 'the key policy was edited with a condition the doctor cannot evaluate',
    breakIt: (state) => {
      const policy = state.keyPolicy as { Statement: object[] };
      state.keyPolicy = {
        Statement: [
          ...policy.Statement,
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'kms:*',
            Resource: '*',
            Condition: { NumericLessThan: { 'kms:GrantTokens': '1' } },
          },
        ],
      } as never;
    },
    failing: 'The key policy lets EUM Social, Connect, SNS and CloudWatch use the relay key',
    fix: 'Compare it with the synthesized template',
  },
  {
    scenario: "the doctor's credentials may not read the key policy",
    breakIt: (state) => {
      state.refused.GetKeyPolicy = 'AccessDeniedException';
    },
    failing: 'The key policy lets EUM Social, Connect, SNS and CloudWatch use the relay key',
    fix: 'Allow kms:GetKeyPolicy for the credentials you run the doctor with',
  },
  {
    scenario: 'the inbound FIFO dead-letter queue holds refused and exhausted items',
    breakIt: (state) => {
      state.deadLetters[DEAD_LETTER_QUEUES.InboundOrderedDeadLetterQueueUrl] = [
        { reason: 'MessageInvalid' },
        { reason: 'MessageInvalid' },
        {},
      ];
    },
    failing: 'The inbound FIFO dead-letter queue is empty',
    fix: 'aws sqs start-message-move-task --source-arn arn:aws:sqs:us-east-1:111122223333:WhatsAppConnectRelay-InboundRelayOrderedDeadLetters-5E6F7A8B9C0D.fifo',
  },
  {
    scenario: 'an alarm is firing',
    breakIt: (state) => {
      const alarm = state.alarms[1];
      if (alarm) {
        alarm.state = 'ALARM';
        alarm.description =
          'InboundBacklog: oldest queued message older than 5 minutes; customers are waiting.';
      }
    },
    failing: "The stack's 4 alarms are OK",
    fix: 'customers are waiting',
  },
  {
    scenario: "an alarm's actions were disabled by hand",
    breakIt: (state) => {
      const alarm = state.alarms[0];
      if (alarm) alarm.actionsEnabled = false;
    },
    failing: 'Every alarm notifies the alarm topic',
    fix: 'aws cloudwatch enable-alarm-actions --alarm-names',
  },
  {
    scenario: 'nobody confirmed the alarm e-mail subscription',
    breakIt: (state) => {
      state.subscriptions = [
        { SubscriptionArn: 'PendingConfirmation', Protocol: 'email', Endpoint: 'on-call@example.com' },
      ];
    },
    failing: 'The alarm topic has a confirmed subscriber',
    fix: 'Confirm subscription',
  },
  {
    scenario: 'nobody is subscribed to the alarm topic',
    breakIt: (state) => {
      state.subscriptions = [];
    },
    failing: 'The alarm topic has a confirmed subscriber',
    fix: `aws sns subscribe --topic-arn ${ALARM_TOPIC}`,
  },
];

describe('npm run doctor names each broken thing, with its fix', () => {
  it.each(BREAKAGES)('when $scenario', async ({ breakIt, failing, fix }) => {
    // Prepare
    const state = healthyDeployment();
    breakIt(state);

    // Act
    const groups = await doctor(state);

    // Assess
    const failed = failures(groups);
    expect(failed.map((line) => line.title)).toEqual([failing]);
    expect(failed[0]?.fix).toContain(fix);
  });

  it('says the stack is missing, and still checks what needs no stack', async () => {
    // Prepare
    const state = healthyDeployment();
    state.stack = undefined;

    // Act
    const groups = await doctor(state);

    // Assess
    expect(failures(groups)).toEqual([
      expect.objectContaining({
        title: 'The stack is deployed',
        fix: expect.stringContaining('npx cdk deploy -c relayConfigFile=config/relay.json'),
      }),
    ]);
    const titles = groups.flatMap((group) => group.lines.map((line) => line.title));
    expect(titles).toContain('The Connect instance exists');
    expect(titles).toContain(`Business number ${PHONE_NUMBER_ID} is linked`);
    expect(groups.map((group) => group.heading)).not.toContain('Policies');
  });

  it('says which outputs an older stack lacks', async () => {
    // Prepare
    const state = healthyDeployment();
    if (state.stack) delete state.stack.outputs.OutboundOrderedDeadLetterQueueUrl;

    // Act
    const groups = await doctor(state);

    // Assess
    expect(failures(groups)).toEqual([
      expect.objectContaining({
        title: 'Its outputs are readable',
        problem: 'missing OutboundOrderedDeadLetterQueueUrl',
      }),
    ]);
  });

  it('asks for the Guide view when guideViewArn is not configured yet', async () => {
    // Prepare
    const state = healthyDeployment();
    const config = { ...deployedConfig(), guideViewArn: undefined };

    // Act
    const groups = await doctor(state, config);

    // Assess
    expect(failures(groups)).toEqual([
      expect.objectContaining({
        title: 'The workspace has its send-whatsapp page',
        fix: expect.stringContaining('stack output GuideViewStep'),
      }),
    ]);
  });

  it('counts dead letters by reason, and peeks without taking them off the queue', async () => {
    // Prepare
    const state = healthyDeployment();
    state.deadLetters[DEAD_LETTER_QUEUES.OutboundDeadLetterQueueUrl] = [
      { reason: 'UnreadableStreamingItem' },
      {},
      {},
    ];

    // Act
    const groups = await doctor(state);

    // Assess
    expect(failures(groups)[0]?.problem).toBe(
      '3 records; of the 3 looked at: 1 × UnreadableStreamingItem, 2 × retries exhausted (no RejectReason)',
    );
    expect(fake?.sqs).toHaveReceivedCommandWith(ReceiveMessageCommand, {
      QueueUrl: DEAD_LETTER_QUEUES.OutboundDeadLetterQueueUrl,
      VisibilityTimeout: 0,
      MessageAttributeNames: ['RejectReason', 'RejectDetail'],
    });
    expect(fake?.commandsSent()).not.toContain('DeleteMessageCommand');
  });
});

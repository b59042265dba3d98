import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { loadRelayConfigFile, parseRelayConfig, type RelayConfig } from '../../infra/config/relay-config.js';
import { STREAMING_FILTER_POLICY } from '../../infra/constructs/streaming-filter.js';
import { readEventDestinationProperties } from '../../shared/config/event-destination-config.js';
import { type TemplateJson, TemplatePolicies } from '../support/template-policies.js';

const config = loadRelayConfigFile('config/relay.example.json');
const INSTANCE_ARN = config.connectInstanceArn;
const ENV = { account: '111122223333', region: 'us-east-1' };

function synthesize(relayConfig: RelayConfig = config) {
  const outdir = mkdtempSync(join(tmpdir(), 'relay-synth-'));
  const { app, stack } = buildApp(relayConfig, new App({ outdir }));
  const assembly = app.synth();
  return { outdir, stack, assembly, template: Template.fromStack(stack) };
}

type Statement = {
  Effect: string;
  Principal?: unknown;
  Action: unknown;
  Resource: unknown;
  Condition?: unknown;
};

function statementsOf(template: Template, type: string): Statement[] {
  return Object.values(template.findResources(type)).flatMap(
    (resource) => (resource.Properties.PolicyDocument?.Statement ?? []) as Statement[],
  );
}

describe('relay stack (inbound half)', () => {
  let synth: ReturnType<typeof synthesize>;

  beforeAll(() => {
    synth = synthesize();
  });

  it('passes the cdk-nag AWS Solutions checks with no unacknowledged finding', () => {
    const report = JSON.parse(readFileSync(join(synth.outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
    expect(synth.assembly.stacks).toHaveLength(1);
  });

  it('fails the synth when a resource breaks a cdk-nag rule (the checks are really wired in)', () => {
    const { app, stack } = buildApp(config, new App({ outdir: mkdtempSync(join(tmpdir(), 'relay-nag-')) }));
    new sqs.Queue(stack, 'UnencryptedQueueWithoutDlq');
    expect(() => app.synth()).toThrowError(/AwsSolutions-SQS3|not used as a dead-letter queue/);
  });

  it('produces a template cfn-lint accepts without errors', () => {
    const file = join(synth.outdir, 'stack.template.json');
    writeFileSync(file, JSON.stringify(synth.template.toJSON()));
    // W3005 ("dependency already enforced") is normal in CDK output.
    const run = () =>
      execFileSync('cfn-lint', ['--ignore-checks', 'W3005', '--', file], { encoding: 'utf8' });
    expect(run).not.toThrow();
  });

  it('admits EUM Social to the inbound topic only for this account, over TLS', () => {
    const statements = statementsOf(synth.template, 'AWS::SNS::TopicPolicy');
    const eum = statements.find((statement) =>
      JSON.stringify(statement.Principal).includes('social-messaging.amazonaws.com'),
    );
    expect(eum).toMatchObject({
      Effect: 'Allow',
      Action: 'sns:Publish',
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
    });
    expect(JSON.stringify(eum?.Condition)).toMatch(
      /"ArnLike":\{"aws:SourceArn".*:social-messaging:us-east-1:111122223333:\*/,
    );
    const tlsDenies = statements.filter(
      (statement) =>
        statement.Effect === 'Deny' &&
        JSON.stringify(statement.Condition).includes('"aws:SecureTransport":"false"'),
    );
    expect(tlsDenies.length).toBeGreaterThanOrEqual(2);
  });

  it('admits only the configured Connect instance to the streaming topic', () => {
    const statements = statementsOf(synth.template, 'AWS::SNS::TopicPolicy');
    const connect = statements.find((statement) =>
      JSON.stringify(statement.Principal).includes('connect.amazonaws.com'),
    );
    expect(connect).toMatchObject({
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111122223333' },
        ArnEquals: { 'aws:SourceArn': INSTANCE_ARN },
      },
    });
  });

  it('encrypts every topic and queue with the relay key, and dead-letters after 5 receives', () => {
    for (const topic of Object.values(synth.template.findResources('AWS::SNS::Topic'))) {
      expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    }
    for (const queue of Object.values(synth.template.findResources('AWS::SQS::Queue'))) {
      expect(queue.Properties.KmsMasterKeyId).toBeDefined();
    }
    synth.template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { maxReceiveCount: 5 },
      VisibilityTimeout: 180,
    });
    synth.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('runs the inbound function on Node 22 ARM64 with partial batch failures', () => {
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: Match.objectLike({
          CONNECT_INSTANCE_ID: 'a1b2c3d4-5678-90ab-cdef-111122223333',
          BUSINESS_NUMBERS: JSON.stringify(config.businessNumbers),
          CHAT_DURATION_MINUTES: '1500',
        }),
      },
    });
    synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    synth.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('stores conversations encrypted, recoverable, and with a TTL', () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('grants Connect actions on the instance, its flows and its contacts, never on "*"', () => {
    const statements = statementsOf(synth.template, 'AWS::IAM::Policy');
    const connectStatements = statements.filter((statement) =>
      JSON.stringify(statement.Action).includes('connect:'),
    );
    expect(connectStatements.length).toBeGreaterThan(0);
    for (const statement of connectStatements) {
      expect(statement.Resource).not.toEqual('*');
      expect(JSON.stringify(statement.Resource)).toContain(INSTANCE_ARN);
    }
    const startChat = connectStatements.find((statement) => statement.Action === 'connect:StartChatContact');
    expect(startChat?.Resource).toContain(
      `${INSTANCE_ARN}/contact-flow/${config.businessNumbers[0]?.inboundFlowId}`,
    );
    // The inbound function's statement (the template functions hold single-action ones).
    const dynamo = statements.find((statement) =>
      JSON.stringify(statement.Action).includes('dynamodb:BatchWriteItem'),
    );
    expect(dynamo?.Action).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:BatchWriteItem',
    ]);
    // No role carries an AWS managed policy (the event destination has its own function now).
    const rolesWithManagedPolicies = Object.entries(synth.template.findResources('AWS::IAM::Role'))
      .filter(([, role]) => role.Properties.ManagedPolicyArns)
      .map(([logicalId]) => logicalId);
    expect(rolesWithManagedPolicies).toEqual([]);
  });

  it('alarms on dead letters, backlog and function errors', () => {
    const alarms = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm'));
    const descriptions = alarms.map((alarm) => String(alarm.Properties.AlarmDescription));
    expect(descriptions.some((text) => text.includes('dead-letter'))).toBe(true);
    expect(descriptions.some((text) => text.includes('older than 5 minutes'))).toBe(true);
    expect(descriptions.some((text) => text.includes('function itself failed'))).toBe(true);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });
});

describe('relay configuration', () => {
  it('names every invalid setting at synth time', () => {
    const attempt = () =>
      parseRelayConfig(
        {
          connectInstanceArn: 'arn:aws:connect:us-east-1:123:instance/nope',
          businessNumbers: [{ phoneNumberId: '12345', inboundFlowId: '' }],
          chatDurationMinutes: 5,
        },
        'test.json',
      );
    expect(attempt).toThrowError(/connectInstanceArn/);
    expect(attempt).toThrowError(/businessNumbers\.0\.phoneNumberId/);
    expect(attempt).toThrowError(/businessNumbers\.0\.inboundFlowId/);
    expect(attempt).toThrowError(/chatDurationMinutes/);
  });

  it('rejects unknown settings so that typos do not pass silently', () => {
    expect(() => parseRelayConfig({ ...config, chatDurationMinutess: 90 }, 'test.json')).toThrowError(
      /Unrecognized key.*chatDurationMinutess/i,
    );
  });

  it('refuses a WABA in another Region than the Connect instance, naming both Regions', () => {
    // Prepare
    const { eumSocialRegion: _, ...withoutRegion } = config;
    const attempt = () =>
      parseRelayConfig(
        {
          ...withoutRegion,
          whatsAppBusinessAccountId: 'arn:aws:social-messaging:eu-west-1:111122223333:waba/0a1b2c',
        },
        'test.json',
      );

    // Assess
    expect(attempt).toThrowError(
      /whatsAppBusinessAccountId: is in eu-west-1, but the stack deploys to us-east-1/,
    );
  });

  it('refuses a phone number of another account or Region, and an explicit Region that is not the stack’s', () => {
    // Prepare
    const attempt = () =>
      parseRelayConfig(
        {
          ...config,
          eumSocialRegion: 'eu-west-1',
          businessNumbers: [
            { phoneNumberId: 'arn:aws:social-messaging:us-east-1:999988887777:phone-number-id/0123abcd' },
          ],
        },
        'test.json',
      );

    // Assess
    expect(attempt).toThrowError(/businessNumbers\.0\.phoneNumberId: belongs to account 999988887777/);
    expect(attempt).toThrowError(/eumSocialRegion: is eu-west-1, but the stack deploys to us-east-1/);
  });

  it('asks for the Region when the WABA and its numbers are given as ids only', () => {
    // Prepare
    const { eumSocialRegion: _, ...withoutRegion } = config;

    // Act
    const attempt = () => parseRelayConfig(withoutRegion, 'test.json');

    // Assess
    expect(attempt).toThrowError(/eumSocialRegion: say which Region the WhatsApp Business Account is in/);
  });

  it('accepts a phone number ARN in the stack’s Region and gives the functions its id', () => {
    // Prepare
    const { eumSocialRegion: _, ...withoutRegion } = config;

    // Act
    const parsed = parseRelayConfig(
      {
        ...withoutRegion,
        businessNumbers: [
          { phoneNumberId: 'arn:aws:social-messaging:us-east-1:111122223333:phone-number-id/0123abcd' },
        ],
      },
      'test.json',
    );

    // Assess
    expect(parsed.businessNumbers.map((number) => number.phoneNumberId)).toEqual([
      'phone-number-id-0123abcd',
    ]);
    expect(parsed.takeOverEventDestination).toBe(false);
  });

  it('reports a missing file by name', () => {
    expect(() => loadRelayConfigFile('config/missing.json')).toThrowError(/config\/missing\.json/);
  });
});

describe('relay stack (outbound half)', () => {
  let synth: ReturnType<typeof synthesize>;

  beforeAll(() => {
    synth = synthesize({ ...config, agentJoinedMessage: 'You are now chatting with {name}' });
  });

  it('subscribes the outbound queue to streaming with a filter that keeps only what the customer may see', () => {
    synth.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      TopicArn: { Ref: Match.stringLikeRegexp('ConnectStreamingTopic') },
      FilterPolicy: STREAMING_FILTER_POLICY,
    });
  });

  it('lets the outbound function send only from the configured business numbers', () => {
    const statements = statementsOf(synth.template, 'AWS::IAM::Policy');
    const send = statements.find((statement) => statement.Action === 'social-messaging:SendWhatsAppMessage');
    expect(JSON.stringify(send?.Resource)).toContain(
      ':social-messaging:us-east-1:111122223333:phone-number-id/0123456789abcdef0123456789abcdef',
    );
    expect(JSON.stringify(send?.Resource)).not.toContain('*');
  });

  it('configures the outbound function from the deployment settings', () => {
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          META_API_VERSION: 'v23.0',
          AGENT_JOINED_MESSAGE: 'You are now chatting with {name}',
          SEND_LEASE_SECONDS: '60',
        }),
      },
    });
  });

  it('monitors both directions', () => {
    const descriptions = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm')).map((alarm) =>
      String(alarm.Properties.AlarmDescription),
    );
    expect(descriptions.filter((text) => text.startsWith('Outbound:'))).toHaveLength(4);
    expect(descriptions.filter((text) => text.startsWith('Inbound:'))).toHaveLength(4);
  });
});

describe('relay stack: the WABA event destination', () => {
  it('reads and sets the WABA destination through its own function, with take-over off unless configured', () => {
    // Prepare
    const synth = synthesize({ ...config, takeOverEventDestination: true });

    // Act
    const destinations = Object.values(synth.template.findResources('Custom::WabaEventDestination'));
    const statements = statementsOf(synth.template, 'AWS::IAM::Policy');
    const eventDestinationStatement = statements.find((statement) =>
      JSON.stringify(statement.Action).includes('PutWhatsAppBusinessAccountEventDestinations'),
    );

    // Assess
    expect(destinations).toHaveLength(1);
    expect(synth.template.findResources('Custom::AWS')).toEqual({});
    const properties = destinations[0]?.Properties;
    const resolved = new TemplatePolicies(synth.template.toJSON() as TemplateJson, ENV).resolve(properties);
    expect(readEventDestinationProperties(resolved)).toMatchObject({
      wabaId: config.whatsAppBusinessAccountId,
      takeOver: true,
    });
    expect(JSON.stringify(properties.TopicArn)).toContain('WhatsAppInboundTopic');
    expect(JSON.stringify(properties.ServiceToken)).toContain('WabaEventDestinationFunction');
    expect(eventDestinationStatement?.Action).toEqual([
      'social-messaging:GetLinkedWhatsAppBusinessAccount',
      'social-messaging:PutWhatsAppBusinessAccountEventDestinations',
    ]);
    expect(JSON.stringify(eventDestinationStatement?.Resource)).toMatch(
      /social-messaging:us-east-1:111122223333:waba\//,
    );
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'whatsapp-event-destination' }) },
    });
  });

  it('does not take over a destination by default', () => {
    // Act
    const synth = synthesize();
    const destination = Object.values(synth.template.findResources('Custom::WabaEventDestination'))[0];

    // Assess
    const resolved = new TemplatePolicies(synth.template.toJSON() as TemplateJson, ENV).resolve(
      destination?.Properties,
    );
    expect(readEventDestinationProperties(resolved).takeOver).toBe(false);
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { loadRelayConfigFile, parseRelayConfig, type RelayConfig } from '../../infra/config/relay-config.js';
import {
  CONNECT_RESOURCE_NAMES,
  GUIDE_MANAGED_VIEWS,
} from '../../infra/constructs/agent-initiated-templates.js';
import { ConnectContentError, renderConnectContent } from '../../infra/constructs/connect-content.js';

const config = loadRelayConfigFile('config/relay.example.json');
const INSTANCE_ARN = config.connectInstanceArn;
const ACCOUNT = '111122223333';

function synthesize(relayConfig: RelayConfig) {
  const outdir = mkdtempSync(join(tmpdir(), 'relay-templates-'));
  const { app, stack } = buildApp(relayConfig, new App({ outdir }));
  app.synth();
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
  return { template: Template.fromStack(stack), nagFindings: report.pluginReports as unknown[] };
}

type Statement = { Sid?: string; Action: unknown; Resource: unknown };

function policyOf(template: Template, logicalIdPart: string): Statement[] {
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.includes(logicalIdPart))
    .flatMap(([, resource]) => resource.Properties.PolicyDocument.Statement as Statement[]);
}

function functionId(template: Template, part: string): string {
  const id = Object.keys(template.findResources('AWS::Lambda::Function')).find((logicalId) =>
    logicalId.includes(part),
  );
  if (!id) throw new Error(`no function ${part}`);
  return id;
}

describe('agent-initiated templates stack resources', () => {
  let template: Template;

  beforeAll(() => {
    template = synthesize(config).template;
  });

  it('publishes no customer-managed view: the guide shows AWS managed views, so nothing is validated at deploy', () => {
    // CloudFormation creates AWS::Connect::View as PUBLISHED, which runs full content validation;
    // the guide leaves nothing for it to validate (docs/agent-initiated-templates.md).
    template.resourceCountIs('AWS::Connect::View', 0);
    template.resourceCountIs('AWS::Connect::ViewVersion', 0);
  });

  it('points the guide flow at the Cards, Form and Detail views of the stack’s own Region', () => {
    const [flow] = Object.values(template.findResources('AWS::Connect::ContactFlow')).filter(
      (resource) => resource.Properties.Name === CONNECT_RESOURCE_NAMES.guideFlow,
    );
    const content = JSON.stringify(flow?.Properties.Content);
    const region = INSTANCE_ARN.split(':')[3];
    for (const view of Object.values(GUIDE_MANAGED_VIEWS)) {
      expect(content).toContain(`:connect:${region}:aws:view/${view}\\"`);
    }
  });

  it('creates the guide flow and the inbound flow as active contact flows', () => {
    for (const name of [CONNECT_RESOURCE_NAMES.guideFlow, CONNECT_RESOURCE_NAMES.inboundFlow]) {
      template.hasResourceProperties('AWS::Connect::ContactFlow', {
        InstanceArn: INSTANCE_ARN,
        Name: name,
        Type: 'CONTACT_FLOW',
        State: 'ACTIVE',
      });
    }
  });

  it('integrates both functions with the instance before the guide flow is created', () => {
    const associations = template.findResources('AWS::Connect::IntegrationAssociation');
    const integrated = Object.values(associations).map(
      (resource) => resource.Properties.IntegrationArn['Fn::GetAtt'][0],
    );
    expect(integrated.sort()).toEqual(
      [functionId(template, 'CustomerData'), functionId(template, 'SendTemplate')].sort(),
    );
    for (const association of Object.values(associations)) {
      expect(association.Properties).toMatchObject({
        InstanceId: INSTANCE_ARN,
        IntegrationType: 'LAMBDA_FUNCTION',
      });
    }
    const guide = Object.values(template.findResources('AWS::Connect::ContactFlow')).find(
      (flow) => flow.Properties.Name === CONNECT_RESOURCE_NAMES.guideFlow,
    );
    expect(guide?.DependsOn).toEqual(expect.arrayContaining(Object.keys(associations)));
  });

  it('lets only the configured instance, in this account, invoke the guide functions', () => {
    for (const part of ['CustomerData', 'SendTemplate']) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionId(template, part), 'Arn'] },
        Principal: 'connect.amazonaws.com',
        SourceArn: INSTANCE_ARN,
        SourceAccount: ACCOUNT,
      });
    }
  });

  it('grants least privilege: one WABA, one sending number, item-level DynamoDB calls', () => {
    const wabaArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          `:social-messaging:us-east-1:${ACCOUNT}:waba/0a1b2c3d4e5f60718293a4b5c6d7e8f9`,
        ],
      ],
    };
    const phoneArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          `:social-messaging:us-east-1:${ACCOUNT}:phone-number-id/0123456789abcdef0123456789abcdef`,
        ],
      ],
    };
    const customerData = policyOf(template, 'CustomerDataFunction');
    const sendTemplate = policyOf(template, 'SendTemplateFunction');
    const readTemplates = {
      Action: [
        'social-messaging:ListWhatsAppMessageTemplates',
        'social-messaging:GetWhatsAppMessageTemplate',
      ],
      Resource: wabaArn,
    };
    expect(customerData).toContainEqual(expect.objectContaining(readTemplates));
    expect(sendTemplate).toContainEqual(expect.objectContaining(readTemplates));
    expect(sendTemplate).toContainEqual(
      expect.objectContaining({ Action: 'social-messaging:SendWhatsAppMessage', Resource: phoneArn }),
    );
    expect(customerData.some((s) => JSON.stringify(s.Action).includes('SendWhatsAppMessage'))).toBe(false);
    // Item reads only: a customer record, and a conversation's marketing choice.
    expect(
      customerData.filter((s) => JSON.stringify(s.Action).includes('dynamodb:')).map((s) => s.Action),
    ).toEqual(['dynamodb:GetItem', 'dynamodb:GetItem']);
    expect(
      sendTemplate.filter((s) => JSON.stringify(s.Action).includes('dynamodb:')).map((s) => s.Action),
      // UpdateItem records the initiation; GetItem and PutItem find the conversation under a BSUID alias.
    ).toEqual([['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']]);
  });

  it('lets both guide functions describe contacts of the configured instance only', () => {
    for (const part of ['CustomerDataFunction', 'SendTemplateFunction']) {
      const describe = policyOf(template, part).filter((s) => JSON.stringify(s.Action).includes('connect:'));
      expect(describe).toEqual([
        expect.objectContaining({ Action: 'connect:DescribeContact', Resource: `${INSTANCE_ARN}/contact/*` }),
      ]);
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ CONNECT_INSTANCE_ID: INSTANCE_ARN.split('/')[1] }),
      },
    });
  });

  it('stops each guide function before the flow stops waiting for it', () => {
    const flow = JSON.parse(readFileSync('flows/agent-initiated-template.json', 'utf8')) as {
      Actions: { Type: string; Parameters: { InvocationTimeLimitSeconds?: string } }[];
    };
    const waits = flow.Actions.filter((a) => a.Type === 'InvokeLambdaFunction').map((a) =>
      Number(a.Parameters.InvocationTimeLimitSeconds),
    );
    for (const part of ['CustomerDataFunction', 'SendTemplateFunction']) {
      const timeout = template.findResources('AWS::Lambda::Function')[functionId(template, part)]?.Properties
        .Timeout as number;
      expect(timeout).toBeLessThan(Math.min(...waits));
    }
  });

  it('configures the functions from the deployment config', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          WHATSAPP_BUSINESS_ACCOUNT_ID: config.whatsAppBusinessAccountId,
          TEMPLATE_SENDER_PHONE_NUMBER_ID: config.businessNumbers[0]?.phoneNumberId,
          META_API_VERSION: 'v23.0',
          TEMPLATE_ALLOW_LIST: '',
          TEMPLATE_CACHE_TTL_SECONDS: '300',
        }),
      },
      Timeout: 7,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CUSTOMERS_TABLE_NAME: Match.anyValue() }) },
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });
});

describe('business numbers without an inbound flow id', () => {
  it('start new chats in the deployed inbound flow, still passed to the inbound function as an id', () => {
    const [number] = config.businessNumbers;
    const { template, nagFindings } = synthesize(
      parseRelayConfig({ ...config, businessNumbers: [{ phoneNumberId: number?.phoneNumberId }] }, 'test'),
    );
    const inboundFlowId = Object.entries(template.findResources('AWS::Connect::ContactFlow')).find(
      ([, flow]) => flow.Properties.Name === CONNECT_RESOURCE_NAMES.inboundFlow,
    )?.[0];
    const flowIdFromArn = {
      'Fn::Select': [3, { 'Fn::Split': ['/', { 'Fn::GetAtt': [inboundFlowId, 'ContactFlowArn'] }] }],
    };

    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          BUSINESS_NUMBERS: {
            'Fn::Join': [
              '',
              [`[{"phoneNumberId":"${number?.phoneNumberId}","inboundFlowId":"`, flowIdFromArn, '"}]'],
            ],
          },
        }),
      },
    });
    const startChat = policyOf(template, 'InboundRelay').find((s) => s.Action === 'connect:StartChatContact');
    expect(JSON.stringify(startChat?.Resource)).toContain(inboundFlowId);
    expect(nagFindings).toEqual([]);
  });
});

describe('deployment config for agent-initiated templates', () => {
  it('requires the template sender to be a business number the relay serves', () => {
    expect(() =>
      parseRelayConfig({ ...config, templateSenderPhoneNumberId: 'phone-number-id-ffff' }, 'test.json'),
    ).toThrowError(/templateSenderPhoneNumberId: must be one of businessNumbers/);
  });

  it('requires the default queue to belong to the configured instance', () => {
    const otherInstance = config.defaultQueueArn.replace('a1b2c3d4-5678', 'ffffffff-5678');
    expect(() => parseRelayConfig({ ...config, defaultQueueArn: otherInstance }, 'test.json')).toThrowError(
      /defaultQueueArn: must be a queue of the configured Connect instance/,
    );
  });

  it('names a malformed WABA id, API version and allow-list entry', () => {
    const attempt = () =>
      parseRelayConfig(
        {
          ...config,
          whatsAppBusinessAccountId: '1234',
          metaApiVersion: '23',
          templateAllowList: ['Order Update'],
        },
        'test.json',
      );
    expect(attempt).toThrowError(/whatsAppBusinessAccountId/);
    expect(attempt).toThrowError(/metaApiVersion/);
    expect(attempt).toThrowError(/templateAllowList\.0/);
  });
});

describe('the Connect content placeholder helper', () => {
  it('substitutes every token, JSON-escaped', () => {
    const rendered = renderConnectContent('test/fixtures/connect-content.json', {
      FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:a"b',
      QueueArn: 'q',
    });
    expect(JSON.parse(rendered)).toMatchObject({
      Arn: 'arn:aws:lambda:us-east-1:111122223333:function:a"b',
      Queue: 'q',
    });
  });

  it('fails the synth on a token left unresolved', () => {
    expect(() =>
      renderConnectContent('test/fixtures/connect-content.json', { FunctionArn: 'x' } as Record<
        'FunctionArn' | 'QueueArn',
        string
      >),
    ).toThrowError(ConnectContentError);
    expect(() =>
      renderConnectContent('test/fixtures/connect-content.json', { FunctionArn: 'x' } as Record<
        'FunctionArn' | 'QueueArn',
        string
      >),
    ).toThrowError(/unresolved: \$\{QueueArn\}/);
  });

  it('fails the synth on a value no token uses (a renamed token or a typo)', () => {
    expect(() =>
      renderConnectContent('test/fixtures/connect-content.json', {
        FunctionArn: 'x',
        QueueArn: 'q',
        QueueARN: 'q',
      }),
    ).toThrowError(/not used by the file: QueueARN/);
  });
});

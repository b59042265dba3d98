import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { INTEGRATED_FUNCTIONS } from '../../doctor/checks/connect-instance.js';
import { REQUIRED_OUTPUTS } from '../../doctor/deployment.js';
import type { PolicyDocumentJson } from '../../doctor/policy/iam-policy-evaluator.js';
import {
  type PolicyHolder,
  relayAccessRequirements,
  unmetRequirements,
} from '../../doctor/policy/service-access.js';
import { buildApp } from '../../infra/build-app.js';
import { loadRelayConfigFile } from '../../infra/config/relay-config.js';
import { type TemplateJson, TemplatePolicies } from '../support/template-policies.js';

const config = loadRelayConfigFile('config/relay.example.json');
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

let template: Template;
let policies: TemplatePolicies;

beforeAll(() => {
  const { stack } = buildApp(config, new App({ outdir: mkdtempSync(join(tmpdir(), 'doctor-contract-')) }));
  template = Template.fromStack(stack);
  policies = new TemplatePolicies(template.toJSON() as TemplateJson, { account: ACCOUNT, region: REGION });
});

const onlyId = (type: string, pattern: RegExp): string => {
  const ids = policies.idsOf(type).filter((id) => pattern.test(id));
  if (ids.length !== 1) throw new Error(`expected one ${type} matching ${pattern}, found ${ids.join(', ')}`);
  return ids[0] as string;
};

describe('what npm run doctor reads is what the stack deploys', () => {
  it('finds every output it needs in the synthesized stack', () => {
    // Act
    const outputs = Object.keys(template.toJSON().Outputs ?? {});

    // Assess
    expect(outputs).toEqual(expect.arrayContaining(Object.values(REQUIRED_OUTPUTS)));
  });

  it('finds the one key and the one alarm topic it reads the policies of', () => {
    // Act
    const keys = policies.idsOf('AWS::KMS::Key');
    const alarmTopics = policies.idsOf('AWS::SNS::Topic').filter((id) => /AlarmTopic/.test(id));

    // Assess
    expect(keys).toHaveLength(1);
    expect(alarmTopics).toHaveLength(1);
  });

  it('checks the integration of exactly the functions the stack integrates with the instance', () => {
    // Prepare
    const functions = policies.idsOf('AWS::Lambda::Function').filter((id) => INTEGRATED_FUNCTIONS.test(id));

    // Act
    const integrated = policies
      .idsOf('AWS::Connect::IntegrationAssociation')
      .map((id) => policies.referencedId(policies.resource(id).Properties?.IntegrationArn));

    // Assess
    expect(functions.sort()).toEqual(integrated.sort());
  });

  it("holds the doctor's policy rules on the synthesized policies: each service allowed, no one else", () => {
    // Prepare
    const inbound = onlyId('AWS::SNS::Topic', /WhatsAppInboundTopic/);
    const streaming = onlyId('AWS::SNS::Topic', /ConnectStreamingTopic/);
    const alarmTopic = onlyId('AWS::SNS::Topic', /AlarmTopic/);
    const { keyArn, policy: keyPolicy } = policies.keyPolicyOf(inbound);
    const requirements = relayAccessRequirements({
      account: ACCOUNT,
      instanceArn: config.connectInstanceArn,
      wabaArn: `arn:aws:social-messaging:${REGION}:${ACCOUNT}:waba/0a1b2c3d4e5f60718293a4b5c6d7e8f9`,
      inboundTopicArn: policies.arnOf(inbound),
      streamingTopicArn: policies.arnOf(streaming),
      alarmTopicArn: policies.arnOf(alarmTopic),
      keyArn,
      alarmArns: policies.idsOf('AWS::CloudWatch::Alarm').map((id) => policies.arnOf(id)),
      intruderRoleArn: `arn:aws:iam::${ACCOUNT}:role/AnyRoleOfTheAccount`,
    });
    const documents: Record<PolicyHolder, PolicyDocumentJson[]> = {
      inboundTopic: policies.topicPolicies(inbound),
      streamingTopic: policies.topicPolicies(streaming),
      alarmTopic: policies.topicPolicies(alarmTopic),
      key: [keyPolicy],
    };

    // Act
    const unmet = unmetRequirements(requirements, (holder) => documents[holder]);

    // Assess
    expect(requirements.filter((r) => r.holder === 'alarmTopic').length).toBeGreaterThanOrEqual(10);
    expect(unmet).toEqual([]);
  });
});

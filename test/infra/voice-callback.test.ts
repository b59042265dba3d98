import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { loadRelayConfigFile, parseRelayConfig, type RelayConfig } from '../../infra/config/relay-config.js';

/**
 * "Call me" voice callbacks in the synthesized stack: the inbound function may place calls only in
 * the configured outbound flows of the configured instance, read only the configured hours, and
 * reply only from the numbers that offer callbacks; bad callback settings fail the synth.
 */

const example = loadRelayConfigFile('config/relay.example.json');
const INSTANCE_ARN = example.connectInstanceArn;
const [FIRST] = example.businessNumbers;

type Statement = { Sid?: string; Action: unknown; Resource: unknown };

function synthesize(config: RelayConfig): Template {
  const { app, stack } = buildApp(
    config,
    new App({ outdir: mkdtempSync(join(tmpdir(), 'relay-callback-')) }),
  );
  app.synth();
  return Template.fromStack(stack);
}

function statements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => (policy.Properties.PolicyDocument?.Statement ?? []) as Statement[],
  );
}

describe('voice callbacks in the stack', () => {
  let template: Template;

  beforeAll(() => {
    template = synthesize(example);
  }, 180_000);

  it('lets the inbound function call back only in the configured outbound flow of the instance, and its contacts', () => {
    // Prepare
    const callback = FIRST?.callback?.enabled ? FIRST.callback : undefined;

    // Act
    const call = statements(template).filter(
      (statement) => statement.Action === 'connect:StartOutboundVoiceContact',
    );

    // Assess
    expect(call).toHaveLength(1);
    expect(call[0]?.Resource).toEqual([
      INSTANCE_ARN,
      `${INSTANCE_ARN}/contact-flow/${callback?.outboundFlowId}`,
      `${INSTANCE_ARN}/contact/*`,
    ]);
  });

  it('reads only the configured hours of operation', () => {
    // Act
    const hours = statements(template).filter(
      (statement) => statement.Action === 'connect:DescribeHoursOfOperation',
    );

    // Assess
    const callback = FIRST?.callback?.enabled ? FIRST.callback : undefined;
    expect(hours.map((statement) => statement.Resource)).toEqual([
      `${INSTANCE_ARN}/operating-hours/${callback?.hoursOfOperationId}`,
    ]);
  });

  it('lets the inbound function reply on WhatsApp from the numbers that offer callbacks, with the configured API version', () => {
    // Act
    const reply = statements(template).find(
      (statement) => statement.Sid === 'AnswerCallbackRequestsFromConfiguredNumbers',
    );

    // Assess
    expect(reply?.Action).toBe('social-messaging:SendWhatsAppMessage');
    expect(JSON.stringify(reply?.Resource)).toContain(
      `phone-number-id/${FIRST?.phoneNumberId.replace('phone-number-id-', '')}`,
    );
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'whatsapp-inbound',
          META_API_VERSION: example.metaApiVersion,
          BUSINESS_NUMBERS: Match.stringLikeRegexp('"outboundFlowId":"c1c2c3c4-'),
        }),
      },
    });
  });

  it('grants no calls and no replies when no number offers callbacks', () => {
    // Prepare
    const withoutCallbacks: RelayConfig = {
      ...example,
      businessNumbers: example.businessNumbers.map(({ callback: _callback, ...number }) => number),
    };

    // Act
    const granted = statements(synthesize(withoutCallbacks));

    // Assess
    const actions = granted.flatMap((statement) => [statement.Action].flat());
    expect(actions).not.toContain('connect:StartOutboundVoiceContact');
    expect(actions).not.toContain('connect:DescribeHoursOfOperation');
    expect(granted.map((statement) => statement.Sid)).not.toContain(
      'AnswerCallbackRequestsFromConfiguredNumbers',
    );
    // A synth takes tens of seconds on a busy machine.
  }, 180_000);
});

describe('voice callback settings, checked at synth', () => {
  const withCallback = (callback: unknown) => ({
    ...JSON.parse(JSON.stringify(example)),
    businessNumbers: [{ phoneNumberId: FIRST?.phoneNumberId, callback }],
  });

  it.each([
    [{ enabled: true, sourcePhoneNumber: '+15550100100' }, /businessNumbers\.0\.callback\.outboundFlowId/],
    [{ enabled: true, outboundFlowId: 'flow' }, /give sourcePhoneNumber or queueId/],
    [{ enabled: true, outboundFlowId: 'flow', queueId: 'q' }, /give announcedPhoneNumber/],
    [
      { enabled: true, outboundFlowId: 'flow', sourcePhoneNumber: '5550100' },
      /callback\.sourcePhoneNumber: must be E\.164/,
    ],
    [
      { enabled: true, outboundFlowId: 'flow', sourcePhoneNumber: '+15550100100', cooldownMinutes: 0 },
      /cooldownMinutes/,
    ],
    [{ enabled: true, outboundFlowId: 'flow', sourcePhoneNumber: '+15550100100', cooldown: 5 }, /cooldown/],
    [{ enabled: false, phrases: { english: ['call me'] } }, /callback\.phrases\.english: Invalid key/],
    [{ enabled: false, replies: { en: { calling: '' } } }, /replies\.en\.calling/],
  ])('refuses %j, naming the setting', (callback, problem) => {
    // Act
    const attempt = () => parseRelayConfig(withCallback(callback), 'relay.json');

    // Assess
    expect(attempt).toThrowError(problem);
  });

  it('accepts a queue as caller id with the number to announce', () => {
    // Act
    const parsed = parseRelayConfig(
      withCallback({
        enabled: true,
        outboundFlowId: 'flow',
        queueId: 'queue-1',
        announcedPhoneNumber: '+15550100100',
      }),
      'relay.json',
    );

    // Assess
    expect(parsed.businessNumbers[0]?.callback).toMatchObject({ queueId: 'queue-1', cooldownMinutes: 10 });
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { loadRelayConfigFile, parseRelayConfig, type RelayConfig } from '../../infra/config/relay-config.js';
import { CONNECT_RESOURCE_NAMES } from '../../infra/constructs/guide-names.js';
import { checkAgentRouting, type Flow } from '../support/flow-checker/index.js';

/**
 * Issue 9, part 5: the inbound routing flow is the core relay's, in its own construct, and the
 * templates construct holds only the template feature.
 */

type Resource = { Type: string; Properties: Record<string, unknown> };

const config = loadRelayConfigFile('config/relay.example.json');

function synthesize(relayConfig: RelayConfig) {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'relay-routing-')),
    context: { 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true },
  });
  const { stack } = buildApp(relayConfig, app);
  app.synth();
  return Template.fromStack(stack);
}

describe('inbound routing flow', () => {
  let template: Template;
  let flows: Record<string, Resource>;

  beforeAll(() => {
    template = synthesize(config);
    flows = template.findResources('AWS::Connect::ContactFlow') as Record<string, Resource>;
  });

  it('keeps the logical ids the flows were first deployed under, so an update does not replace them', () => {
    // Prepare: Connect refuses a second flow of the same name, so a replacement would fail the update.
    const names = Object.fromEntries(Object.entries(flows).map(([id, flow]) => [flow.Properties.Name, id]));

    // Act
    const inbound = names[CONNECT_RESOURCE_NAMES.inboundFlow];
    const routeBack = names[CONNECT_RESOURCE_NAMES.routeBackQueueFlow];

    // Assess
    expect(inbound).toBe('AgentInitiatedTemplatesInboundFlowC00E9D45');
    expect(routeBack).toBe('AgentInitiatedTemplatesRouteBackQueueFlow9B8917B8');
    expect(template.findOutputs('AgentInitiatedTemplatesInboundFlowIdB07A9845')).not.toEqual({});
  });

  it('sends a reply waiting for its agent to the deployed route-back queue flow', () => {
    // Prepare
    const inbound = flows.AgentInitiatedTemplatesInboundFlowC00E9D45;

    // Act
    const content = JSON.stringify(inbound?.Properties.Content);

    // Assess
    expect(content).toContain('AgentInitiatedTemplatesRouteBackQueueFlow9B8917B8');
    expect(content).toContain(config.defaultQueueArn);
  });

  it('is built by the inbound routing construct, and the templates construct deploys only the guide flow', () => {
    // Prepare
    const paths = Object.values(
      template.toJSON().Resources as Record<string, Resource & { Metadata?: unknown }>,
    )
      .filter((resource) => resource.Type === 'AWS::Connect::ContactFlow')
      .map(
        (resource) => (resource.Metadata as { 'aws:cdk:path'?: string } | undefined)?.['aws:cdk:path'] ?? '',
      );

    // Act
    const templatesFlows = paths.filter((path) => path.includes('/AgentInitiatedTemplates/'));
    const routingFlows = paths.filter((path) => path.includes('/InboundRouting/'));

    // Assess
    expect(templatesFlows).toEqual(['WhatsAppConnectRelay/AgentInitiatedTemplates/GuideFlow']);
    expect(routingFlows.sort()).toEqual([
      'WhatsAppConnectRelay/InboundRouting/InboundFlow',
      'WhatsAppConnectRelay/InboundRouting/RouteBackQueueFlow',
    ]);
  });

  it('offers a returning customer to their last agent, and moves the chat to the default queue after the wait', () => {
    // Prepare: the deployed content, with the queue flow's ARN (an intrinsic) as a readable marker.
    const inbound = flows.AgentInitiatedTemplatesInboundFlowC00E9D45;
    if (!inbound) throw new Error('the inbound flow is not in the template');
    const join = (inbound.Properties.Content as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    const content = join[1]
      .map((part) =>
        typeof part === 'string'
          ? part
          : `<<${((part as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'] ?? ['intrinsic']).join('.')}>>`,
      )
      .join('');
    const flow = JSON.parse(content) as Flow;
    const routeBack = flows.AgentInitiatedTemplatesRouteBackQueueFlow9B8917B8;
    const queueFlow = JSON.parse(String(routeBack?.Properties.Content)) as Flow;

    // Act
    const preferred = flow.Actions?.find(
      (action) => action.Parameters?.AgentId === '$.Attributes.preferredAgentId',
    );
    const hook = flow.Actions?.find((action) => action.Type === 'UpdateContactEventHooks');
    const wait = queueFlow.Actions?.find((action) => action.Type === 'Wait');
    const move = queueFlow.Actions?.find((action) => action.Type === 'DequeueContactAndTransferToQueue');

    // Assess
    expect(preferred?.Type).toBe('UpdateContactTargetQueue');
    expect(checkAgentRouting('deployed inbound flow', flow)).toEqual([]);
    expect(JSON.stringify(hook?.Parameters)).toContain('AgentInitiatedTemplatesRouteBackQueueFlow9B8917B8');
    expect(wait?.Parameters?.TimeoutSeconds).toBe(String(config.routeBackWaitSeconds));
    expect(move?.Parameters?.QueueId).toBe(config.defaultQueueArn);
  });

  it('gives the inbound relay each number’s preferred-agent setting', () => {
    // Prepare
    const [number] = config.businessNumbers;
    const withPreference = synthesize({
      ...config,
      businessNumbers: [
        { ...(number as (typeof config.businessNumbers)[0]), preferredAgent: { enabled: true, hours: 36 } },
      ],
    });

    // Act
    const inbound = Object.values(withPreference.findResources('AWS::Lambda::Function')).find(
      (fn) => fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === 'whatsapp-inbound',
    );

    // Assess
    expect(JSON.stringify(inbound?.Properties.Environment.Variables.BUSINESS_NUMBERS)).toContain(
      '\\"preferredAgent\\":{\\"enabled\\":true,\\"hours\\":36}',
    );
  });

  it('refuses, before synthesis, a preferred agent kept longer than the conversation lives', () => {
    // Prepare
    const raw = JSON.parse(readFileSync('config/relay.example.json', 'utf8')) as {
      conversationTtlDays: number;
      businessNumbers: Record<string, unknown>[];
    };
    raw.conversationTtlDays = 2;
    raw.businessNumbers = raw.businessNumbers.map((number) => ({
      ...number,
      preferredAgent: { enabled: true, hours: 49 },
    }));

    // Act
    const parse = () => parseRelayConfig(raw, 'test.json');

    // Assess
    expect(parse).toThrow(
      'businessNumbers.0.preferredAgent.hours: must be at most conversationTtlDays × 24 (48)',
    );
  });

  it('starts chats of a number without its own flow in the deployed inbound flow', () => {
    // Prepare
    const withoutFlow = synthesize({
      ...config,
      businessNumbers: config.businessNumbers.map(({ phoneNumberId }) => ({ phoneNumberId })),
    });

    // Act
    const inbound = Object.values(withoutFlow.findResources('AWS::Lambda::Function')).find(
      (fn) => fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === 'whatsapp-inbound',
    );

    // Assess
    expect(JSON.stringify(inbound?.Properties.Environment.Variables.BUSINESS_NUMBERS)).toContain(
      'AgentInitiatedTemplatesInboundFlowC00E9D45',
    );
  });
});

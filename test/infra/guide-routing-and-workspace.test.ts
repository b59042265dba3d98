import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { loadRelayConfigFile } from '../../infra/config/relay-config.js';
import { checkAgentRouting, type Flow, type FlowAction } from '../support/flow-checker/index.js';

const AGENT = '7d3c2b1a-1111-2222-3333-444455556666';
const OTHER_AGENT = '9e8d7c6b-aaaa-bbbb-cccc-ddddeeeeffff';

/**
 * Walks a flow as Connect would for one contact, with every block succeeding except where the
 * documented behaviour says otherwise: a Compare on an absent attribute matches no condition
 * (Connect: "To check for a NULL value, you need to use a Lambda", Check contact attributes
 * block), a block given an absent attribute as a required id fails, and agents are available.
 */
function walk(flow: Flow, attributes: Record<string, string>): { block: string; failed: boolean }[] {
  const byId = new Map((flow.Actions ?? []).map((action) => [action.Identifier, action]));
  const path: { block: string; failed: boolean }[] = [];
  let id = flow.StartAction;
  while (id && path.length < 50) {
    const action = byId.get(id) as FlowAction;
    const value = (text: unknown) => {
      const match = /^\$\.Attributes\.(\w+)$/.exec(String(text));
      return match ? attributes[match[1] as string] : String(text);
    };
    let next = action.Transitions?.NextAction;
    let failed = false;
    if (action.Type === 'Compare') {
      const compared = value(action.Parameters?.ComparisonValue);
      const hit = (action.Transitions?.Conditions ?? []).find(({ Condition: { Operator, Operands } }) =>
        compared === undefined
          ? false
          : Operator === 'Equals'
            ? compared === Operands[0]
            : Operator === 'TextContains'
              ? compared.includes(Operands[0] as string)
              : false,
      );
      next =
        hit?.NextAction ??
        action.Transitions?.Errors?.find((e) => e.ErrorType === 'NoMatchingCondition')?.NextAction;
    } else if (action.Type === 'CheckMetricData') {
      next = action.Transitions?.Conditions?.[0]?.NextAction; // the agent is available
    } else if (action.Type === 'UpdateContactTargetQueue' && action.Parameters?.AgentId) {
      failed = value(action.Parameters.AgentId) === undefined;
    }
    if (failed) next = action.Transitions?.Errors?.find((e) => e.ErrorType === 'NoMatchingError')?.NextAction;
    path.push({ block: id, failed });
    if (action.Type === 'TransferContactToQueue' || action.Type === 'DisconnectParticipant') break;
    id = next;
  }
  return path;
}

const inbound = () => JSON.parse(readFileSync('flows/inbound-whatsapp.json', 'utf8')) as Flow;

describe('the inbound routing flow', () => {
  it('takes an ordinary chat to the default queue without passing through an error branch', () => {
    // Act
    const path = walk(inbound(), { customerId: '447700900123' });

    // Assess
    expect(path.filter((step) => step.failed)).toEqual([]);
    expect(path.map((step) => step.block)).toContain('set-default-queue');
    expect(path.map((step) => step.block)).not.toContain('set-agent-queue');
  });

  it('offers a reply to the agent who sent the template, with the route-back timeout armed first', () => {
    const path = walk(inbound(), { initiatingAgentId: AGENT }).map((step) => step.block);

    expect(path).toEqual(
      expect.arrayContaining(['set-agent-queue', 'set-route-back-timeout', 'transfer-to-agent']),
    );
    expect(path.indexOf('set-route-back-timeout')).toBeLessThan(path.indexOf('transfer-to-agent'));
  });

  it('offers a returning customer to their last agent, with the same route-back timeout armed first', () => {
    // Act
    const steps = walk(inbound(), { preferredAgentId: AGENT });
    const path = steps.map((step) => step.block);

    // Assess
    expect(steps.filter((step) => step.failed)).toEqual([]);
    expect(path).toEqual(
      expect.arrayContaining(['set-preferred-agent-queue', 'set-route-back-timeout', 'transfer-to-agent']),
    );
    expect(path.indexOf('set-route-back-timeout')).toBeLessThan(path.indexOf('transfer-to-agent'));
    expect(path).not.toContain('set-default-queue');
  });

  it('routes a reply to the agent who sent the template, not to the last agent, when the chat names both', () => {
    // Act
    const path = walk(inbound(), { initiatingAgentId: AGENT, preferredAgentId: OTHER_AGENT }).map(
      (step) => step.block,
    );

    // Assess
    expect(path).toContain('set-agent-queue');
    expect(path).not.toContain('set-preferred-agent-queue');
  });

  it('sends a chat whose preferred agent is not a well-formed id to the default queue, through no error branch', () => {
    // Act
    const steps = walk(inbound(), { preferredAgentId: 'not an id' });

    // Assess
    expect(steps.filter((step) => step.failed)).toEqual([]);
    expect(steps.map((step) => step.block)).toContain('set-default-queue');
    expect(steps.map((step) => step.block)).not.toContain('set-preferred-agent-queue');
  });

  it('arms the route-back timeout on every path that queues a chat for one agent', () => {
    // Act
    const problems = checkAgentRouting('inbound-whatsapp.json', inbound());

    // Assess
    expect(problems).toEqual([]);
  });
});

describe('the agent-routing check catches', () => {
  function edit(id: string, change: (action: FlowAction) => FlowAction): Flow {
    const flow = inbound();
    return {
      ...flow,
      Actions: (flow.Actions ?? []).map((action) => (action.Identifier === id ? change(action) : action)),
    };
  }

  it('a chat queued for the preferred agent without a positive check of the attribute', () => {
    // Prepare: an absent attribute would then reach the agent block and take its error branch.
    const broken = edit('check-preferred-agent', (action) => ({
      ...action,
      Transitions: { ...action.Transitions, NextAction: 'set-preferred-agent-queue' },
    }));

    // Act
    const problems = checkAgentRouting('broken', broken);

    // Assess
    expect(problems).toContain(
      'broken › set-preferred-agent-queue: reached on some path without a Compare condition on preferredAgentId',
    );
  });

  it('a chat transferred to the preferred agent before the route-back timeout is armed', () => {
    // Prepare
    const broken = edit('check-preferred-agent-available', (action) => ({
      ...action,
      Transitions: {
        ...action.Transitions,
        Conditions: (action.Transitions?.Conditions ?? []).map((condition) => ({
          ...condition,
          NextAction: 'transfer-to-agent',
        })),
      },
    }));

    // Act
    const problems = checkAgentRouting('broken', broken);

    // Assess
    expect(problems).toContain(
      "broken › set-preferred-agent-queue: transfer-to-agent transfers to the agent's queue before a CustomerQueue hook is armed",
    );
  });
});

describe('the route-back customer queue flow in the stack', () => {
  let template: Template;

  beforeAll(() => {
    const config = loadRelayConfigFile('config/relay.example.json');
    const { app, stack } = buildApp(
      { ...config, routeBackWaitSeconds: 90 },
      new App({ outdir: mkdtempSync(join(tmpdir(), 'relay-routing-')) }),
    );
    app.synth();
    template = Template.fromStack(stack);
  });

  it('is a customer queue flow that waits the configured time, then moves the chat to the default queue', () => {
    const flows = Object.entries(template.findResources('AWS::Connect::ContactFlow'));
    const [logicalId, queueFlow] = flows.find(([, flow]) => flow.Properties.Type === 'CUSTOMER_QUEUE') ?? [];
    const content = JSON.parse(queueFlow?.Properties.Content as string) as Flow;
    const wait = content.Actions?.find((action) => action.Type === 'Wait');
    const move = content.Actions?.find((action) => action.Type === 'DequeueContactAndTransferToQueue');

    expect(wait?.Parameters?.TimeoutSeconds).toBe('90');
    expect(move?.Parameters?.QueueId).toMatch(/\/queue\//);
    const inboundFlow = flows.find(([, flow]) =>
      JSON.stringify(flow.Properties.Content).includes('CustomerQueue'),
    );
    expect(JSON.stringify(inboundFlow?.[1].Properties.Content)).toContain(`"${logicalId}","ContactFlowArn"`);
  });
});

describe('the template-guide workspace in the stack', () => {
  const config = loadRelayConfigFile('config/relay.example.json');
  const instance = config.connectInstanceArn;
  const profile = `${instance}/routing-profile/11111111-2222-3333-4444-555555555555`;
  const guideView = `${instance}/view/0a1b2c3d-aaaa-bbbb-cccc-ddddeeeeffff`;

  function synth(extra: Partial<typeof config>) {
    const { app, stack } = buildApp(
      { ...config, ...extra },
      new App({ outdir: mkdtempSync(join(tmpdir(), 'relay-workspace-')) }),
    );
    app.synth();
    return Template.fromStack(stack);
  }

  it('creates the workspace for the configured routing profiles, with the guide page once the Guide view exists', () => {
    // Act
    const template = synth({ guideWorkspaceAssociations: [profile], guideViewArn: guideView });

    // Assess
    template.hasResourceProperties('AWS::Connect::Workspace', {
      InstanceArn: instance,
      Associations: [profile],
      Visibility: 'ASSIGNED',
      Pages: [{ Page: 'send-whatsapp', Slug: 'send-whatsapp', ResourceArn: guideView }],
    });
    const [workspace] = Object.values(template.findResources('AWS::Connect::Workspace'));
    const slug = workspace?.Properties.Pages[0].Slug as string;
    // CloudFormation's pattern for a page slug (cfn-lint 1.51 schema AWS::Connect::Workspace).
    expect(slug).toMatch(/^$|^[\p{L}\p{Z}\p{N}\-_.:=@'|]{3,}$/u);
  });

  it('leaves the page out, and says what to do, until the Guide view exists', () => {
    const template = synth({});

    const [workspace] = Object.values(template.findResources('AWS::Connect::Workspace'));
    expect(workspace?.Properties.Pages).toBeUndefined();
    const outputs = JSON.stringify(template.findOutputs('*'));
    expect(outputs).toContain('Create a Guide view with a Connect application component');
  });
});

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { loadRelayConfigFile } from '../../infra/config/relay-config.js';
import { GUIDE_FUNCTIONS, GUIDE_MANAGED_VIEWS } from '../../infra/constructs/agent-initiated-templates.js';
import { guideResponseKeys } from '../../shared/domain/template-guide.js';
import {
  checkAgentRouting,
  checkFlow,
  DOCUMENTED_COMPONENTS,
  DOCUMENTED_MANAGED_VIEWS,
  type DocumentedManagedView,
  type Flow,
  type FlowAction,
  type FlowContracts,
  type ViewContent,
} from '../support/flow-checker/index.js';

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const placeholder = (value: string) => /^\$\{([A-Za-z0-9]+)\}$/.exec(value)?.[1];

/**
 * The project's contracts: Lambda answers from the shared key lists; views are AWS managed views,
 * held to what views/aws-managed-views.json documents for them (or to `managedViews`, a test's own
 * copy), and every customer-managed view (a test's own) to the documented (component, prop) list.
 */
function contractsFor(managedViews: Readonly<Record<string, DocumentedManagedView>>): FlowContracts {
  return {
    lambdaKeys(reference, attributes) {
      const name = placeholder(reference) as keyof typeof GUIDE_FUNCTIONS | undefined;
      const fn = name ? GUIDE_FUNCTIONS[name] : undefined;
      return fn ? guideResponseKeys(fn, attributes.step) : undefined;
    },
    view(reference) {
      const name = placeholder(reference) as keyof typeof GUIDE_MANAGED_VIEWS | undefined;
      const managed = name ? GUIDE_MANAGED_VIEWS[name] : undefined;
      const documented = managed ? managedViews[managed] : undefined;
      if (managed && documented) return { kind: 'managed', name: managed, documented };
      const custom = CUSTOM_VIEWS[reference];
      return custom ? { kind: 'custom', content: custom } : undefined;
    },
    documentedComponents: DOCUMENTED_COMPONENTS,
  };
}
const contracts = contractsFor(DOCUMENTED_MANAGED_VIEWS);

/** Customer-managed views a test shows through the real flow, by ViewResource.Id. */
const CUSTOM_VIEWS: Record<string, ViewContent> = {};

const flowFiles = readdirSync('flows').filter((file) => file.endsWith('.json'));
const guide = () => readJson<Flow & { Actions: FlowAction[] }>('flows/agent-initiated-template.json');

function edit(
  flow: Flow & { Actions: FlowAction[] },
  id: string,
  change: (action: FlowAction) => FlowAction,
) {
  return {
    ...flow,
    Actions: flow.Actions.map((action) => (action.Identifier === id ? change(action) : action)),
  };
}

describe('flows/ pass the flow checker', () => {
  it('has the flows this product deploys', () => {
    expect(flowFiles.sort()).toEqual([
      'agent-initiated-template.json',
      'agent-route-back-queue.json',
      'inbound-whatsapp.json',
    ]);
  });

  it.each(flowFiles)(
    '%s: structure, error branches, no dead ends, every key it reads is produced, and agent routing is guarded',
    (file) => {
      const flow = readJson<Flow>(join('flows', file));
      expect([...checkFlow(file, flow, contracts), ...checkAgentRouting(file, flow)]).toEqual([]);
    },
  );

  it('shows only AWS managed views, each of them, and no customer-managed view is left to publish', () => {
    const shown = new Set(
      guide()
        .Actions.filter((action) => action.Type === 'ShowView')
        .map((action) => String((action.Parameters?.ViewResource as { Id?: string } | undefined)?.Id)),
    );
    expect([...shown].sort()).toEqual(
      Object.keys(GUIDE_MANAGED_VIEWS)
        .map((name) => `\${${name}}`)
        .sort(),
    );
    // views/ holds the managed views' documented contract and no customer-managed view.
    expect(readdirSync('views').filter((file) => file.endsWith('.json'))).toEqual(['aws-managed-views.json']);
  });

  it('refuses a guide that shows a managed view views/aws-managed-views.json does not declare', () => {
    // Prepare: the contract as it would be if the Detail view's entry were removed.
    const { detail: _removed, ...withoutDetail } = DOCUMENTED_MANAGED_VIEWS;

    // Act
    const problems = checkFlow('guide', guide(), contractsFor(withoutDetail));

    // Assess
    expect(problems).toContain(`guide › show-sent: unknown view \${DetailViewArn}`);
    expect(checkFlow('guide', guide(), contracts)).toEqual([]);
  });
});

describe('the flow checker catches broken flows', () => {
  it('a Lambda block without an error branch', () => {
    const broken = edit(guide(), 'send-template', (action) => ({
      ...action,
      Transitions: { NextAction: 'check-outcome' },
    }));
    expect(checkFlow('broken', broken, contracts)).toContain(
      'broken › send-template: InvokeLambdaFunction has no NoMatchingError branch',
    );
  });

  it('a ShowView without a timeout branch, and a transition to nowhere', () => {
    const broken = edit(guide(), 'show-form', (action) => ({
      ...action,
      Transitions: {
        ...action.Transitions,
        NextAction: 'no-such-block',
        Errors: (action.Transitions?.Errors ?? []).filter((error) => error.ErrorType !== 'TimeLimitExceeded'),
      },
    }));
    const problems = checkFlow('broken', broken, contracts);
    expect(problems).toContain('broken › show-form: ShowView has no TimeLimitExceeded branch');
    expect(problems).toContain('broken › show-form: transition to no-such-block, which does not exist');
  });

  it('a key the Lambda does not answer', () => {
    const broken = edit(guide(), 'record-sent', (action) => ({
      ...action,
      Parameters: { Attributes: { sentAt: '$.External.sentAt' }, TargetContact: 'Current' },
    }));
    expect(checkFlow('broken', broken, contracts).join('\n')).toContain(
      'record-sent: reads $.External.sentAt, but on some path the last Lambda is send-template',
    );
  });

  it('a key read after a path where the Lambda failed', () => {
    // Send errors would go straight back to the form, whose data would then be stale.
    const broken = edit(guide(), 'send-template', (action) => ({
      ...action,
      Transitions: {
        NextAction: 'check-outcome',
        Errors: [{ NextAction: 'show-form', ErrorType: 'NoMatchingError' }],
      },
    }));
    expect(checkFlow('broken', broken, contracts).join('\n')).toContain(
      'show-form: reads $.External.formSections, but on some path the last Lambda is (failed)',
    );
  });

  it('a form value the Form view does not answer, and a view result without a branch', () => {
    const withField = edit(guide(), 'send-template', (action) => ({
      ...action,
      Parameters: {
        ...action.Parameters,
        LambdaInvocationAttributes: { mode: 'send', param1: '$.Views.ViewResultData.param1' },
      },
    }));
    const withoutBranch = edit(withField, 'show-choose', (action) => ({
      ...action,
      Transitions: {
        ...action.Transitions,
        Conditions: (action.Transitions?.Conditions ?? []).filter(
          (c) => c.Condition.Operands[0] !== 'NoMatchFound',
        ),
      },
    }));
    const problems = checkFlow('broken', withoutBranch, contracts).join('\n');
    // The managed Form view answers FormData.<Name>, never a bare field (Connect admin guide).
    expect(problems).toContain(
      'reads $.Views.ViewResultData.param1, but on some path the last view is show-form, which has no such input',
    );
    expect(problems).toContain("show-choose: the view's NoMatchFound button has no branch");
  });

  it('a managed view given ViewData AWS does not document for it', () => {
    const broken = edit(guide(), 'show-form', (action) => ({
      ...action,
      Parameters: {
        ...action.Parameters,
        ViewData: { ...(action.Parameters?.ViewData as object), Visibility: '$.External.formMessage' },
      },
    }));
    expect(checkFlow('broken', broken, contracts)).toContain(
      'broken › show-form: ViewData Visibility is not documented for the form view',
    );
  });

  it('a view that binds Visibility to a string, as the guide’s old views did, fails the whole flow', () => {
    // Prepare: the old choose view's slot, a Container whose Visibility the Lambda filled with "true" or "".
    CUSTOM_VIEWS['legacy-choose-view'] = {
      Actions: ['ChooseTemplate1'],
      Template: {
        Body: [
          {
            _id: 'Container_templateOption1',
            Type: 'Container',
            Props: { HideBorder: true, Visibility: '$.templateOption1Visible' },
            Content: [
              {
                _id: 'Card_templateOption1',
                Type: 'Card',
                Props: { Id: 'templateOption1', Heading: 'Template', Action: 'ChooseTemplate1' },
                Content: [],
              },
            ],
          },
        ],
      },
    };
    const broken = edit(guide(), 'show-no-templates', (action) => ({
      ...action,
      Parameters: {
        ViewResource: { Id: 'legacy-choose-view' },
        InvocationTimeLimitSeconds: '600',
        ViewData: { templateOption1Visible: '$.External.templateCount' },
      },
      Transitions: {
        ...action.Transitions,
        Conditions: [
          { NextAction: 'disconnect', Condition: { Operator: 'Equals', Operands: ['ChooseTemplate1'] } },
        ],
      },
    }));

    // Act
    const problems = checkFlow('broken', broken, contracts);

    // Assess
    expect(problems).toContain(
      'broken › show-no-templates: legacy-choose-view › Container_templateOption1: Visibility must be a boolean, not "$.templateOption1Visible"',
    );
    expect(problems).toContain(
      'broken › show-no-templates: legacy-choose-view › Container_templateOption1: Container.Visibility is bound to $.templateOption1Visible, which no documentation shows',
    );
  });

  it('a block type it does not know, and a duplicate identifier', () => {
    const flow = guide();
    const broken = {
      ...flow,
      Actions: [...flow.Actions, { ...flow.Actions[1], Type: 'MysteryBlock' } as FlowAction],
    };
    const problems = checkFlow('broken', broken, contracts);
    expect(problems).toContain('broken › load-customer: Identifier is not unique');
    expect(problems).toContain(
      "broken › load-customer: block type MysteryBlock is not in the checker's table of error branches",
    );
  });
});

describe('synthesized flows reference what the stack deploys', () => {
  let template: Template;

  beforeAll(() => {
    const { app, stack } = buildApp(
      loadRelayConfigFile('config/relay.example.json'),
      new App({ outdir: mkdtempSync(join(tmpdir(), 'relay-flows-')) }),
    );
    app.synth();
    template = Template.fromStack(stack);
  });

  /** Renders CloudFormation content, replacing each intrinsic with a readable marker. */
  function renderContent(content: unknown): string {
    if (typeof content === 'string') return content;
    const join = (content as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return join[1]
      .map((part) => {
        if (typeof part === 'string') return part;
        const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
        if (getAtt) return `<<${getAtt[0]}.${getAtt[1]}>>`;
        const ref = (part as { Ref?: string }).Ref;
        if (ref) return `<<Ref:${ref}>>`;
        return `<<${JSON.stringify(part)}>>`;
      })
      .join('');
  }

  it('leaves no placeholder token in any flow; every Lambda is this stack’s and every view an AWS managed one', () => {
    const flows = Object.values(template.findResources('AWS::Connect::ContactFlow'));
    const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
    const integrated = Object.values(template.findResources('AWS::Connect::IntegrationAssociation')).map(
      (resource) => resource.Properties.IntegrationArn['Fn::GetAtt'][0] as string,
    );
    expect(flows).toHaveLength(3);

    for (const flow of flows) {
      const content = renderContent(flow.Properties.Content);
      expect(content).not.toMatch(/\$\{[A-Za-z]/);
      const parsed = JSON.parse(content) as Flow;
      for (const action of parsed.Actions ?? []) {
        if (action.Type === 'InvokeLambdaFunction') {
          const [, logicalId, attribute] =
            /^<<(.+)\.(.+)>>$/.exec(String(action.Parameters?.LambdaFunctionARN)) ?? [];
          expect(functions).toContain(logicalId);
          expect(integrated).toContain(logicalId);
          expect(attribute).toBe('Arn');
        }
        if (action.Type === 'ShowView') {
          // `aws` in place of the account, in the stack's partition and Region (Connect admin
          // guide, "AWS managed views"); no version qualifier is documented for managed views.
          const id = String((action.Parameters?.ViewResource as { Id?: string } | undefined)?.Id);
          expect(id).toMatch(/^arn:<<Ref:AWS::Partition>>:connect:us-east-1:aws:view\/(cards|form|detail)$/);
        }
        if (action.Type === 'UpdateContactTargetQueue' && action.Parameters?.QueueId) {
          expect(action.Parameters.QueueId).toBe(
            'arn:aws:connect:us-east-1:111122223333:instance/a1b2c3d4-5678-90ab-cdef-111122223333/queue/b1b2b3b4-0000-1111-2222-333344445555',
          );
        }
      }
    }
  });
});

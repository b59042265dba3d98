import { readFileSync } from 'node:fs';
import { GUIDE_FUNCTIONS, GUIDE_MANAGED_VIEWS } from '../infra/constructs/guide-names.js';
import type { FakeGuideContacts } from '../test/support/fake-guide-contacts.js';
import type { EventLog } from './event-log.js';
import type { FlowHandler } from './world.js';

const FLOW_FILE = 'flows/agent-initiated-template.json';
/** The agent the sandbox desk stands for (a Connect user id is a UUID). */
export const SANDBOX_AGENT_ID = '0a1b2c3d-1111-2222-3333-444455556666';

interface FlowAction {
  readonly Identifier: string;
  readonly Type: string;
  readonly Parameters?: Record<string, unknown>;
  readonly Transitions?: {
    readonly NextAction?: string;
    readonly Conditions?: readonly { NextAction: string; Condition: { Operands: readonly string[] } }[];
    readonly Errors?: readonly { NextAction: string; ErrorType: string }[];
  };
}

/** The AWS managed views the guide shows (Connect admin guide, "AWS managed views"). */
export type ManagedViewName = (typeof GUIDE_MANAGED_VIEWS)[keyof typeof GUIDE_MANAGED_VIEWS];

/** What the agent sees: the managed view the flow shows, and its view data with every reference resolved. */
export interface GuideScreen {
  readonly view: ManagedViewName;
  readonly data: Record<string, unknown>;
}

/**
 * What a view answers, as Connect sets it after a ShowView block: `$.Views.Action` (the branch)
 * and `$.Views.ViewResultData` (Connect admin guide, custom views: "Action represents a branch,
 * and Output data is set to the $.Views.ViewResultData flow attribute").
 */
export interface ViewResult {
  readonly Action: string;
  readonly ViewResultData: Record<string, unknown>;
}

/** ShowView's 16 KB limit on its inputs (ShowView reference, restrictions): the log says when it is passed. */
const VIEW_DATA_LIMIT_BYTES = 16 * 1024;

/**
 * The agent guide, run as Connect runs it: the project's guide flow (flows/agent-initiated-template.json)
 * interpreted step by step, its Lambda blocks answered by the real customer-data and send-template
 * entries and its ShowView blocks by the AWS managed view they name, drawn by the page
 * (sandbox/public/view-renderer.js). Only what the flow uses is interpreted (Lambda, ShowView,
 * attributes, Compare, Disconnect); any other block just moves on.
 */
export class GuideRun {
  private readonly actions: Map<string, FlowAction>;
  private readonly startAction: string;
  private current: FlowAction | undefined;
  private attributes: Record<string, string> = {};
  private external: Record<string, unknown> = {};
  private views: ViewResult | undefined;
  private readonly contactId: string;

  constructor(
    private readonly handlers: { customerData: FlowHandler; sendTemplate: FlowHandler },
    contacts: FakeGuideContacts,
    chat: { contactId: string; attributes: Record<string, string> },
    private readonly log: EventLog,
  ) {
    const flow = JSON.parse(readFileSync(FLOW_FILE, 'utf8')) as {
      StartAction: string;
      Actions: FlowAction[];
    };
    this.actions = new Map(flow.Actions.map((action) => [action.Identifier, action]));
    this.startAction = flow.StartAction;
    this.contactId = `guide-${chat.contactId}-${Date.now()}`;
    // The guide runs in a contact of its own, related to the customer's chat (Connect ShowView reference).
    contacts.add({ id: chat.contactId, agentId: SANDBOX_AGENT_ID, attributes: chat.attributes });
    contacts.add({ id: this.contactId, relatedContactId: chat.contactId });
  }

  /** Starts the flow; resolves at its first view (undefined if it ends without one). */
  start(): Promise<GuideScreen | undefined> {
    return this.runFrom(this.startAction);
  }

  /** The agent finished the current view with this result: the flow takes the branch named by its Action. */
  act(result: ViewResult): Promise<GuideScreen | undefined> {
    const showing = this.current;
    if (!showing) return Promise.resolve(undefined);
    this.views = { Action: result.Action, ViewResultData: result.ViewResultData ?? {} };
    this.log.add('sandbox', `Guide view ${showing.Identifier} → ${result.Action}`);
    return this.runFrom(branch(showing, result.Action));
  }

  private async runFrom(identifier: string | undefined): Promise<GuideScreen | undefined> {
    let next = identifier;
    for (let steps = 0; next && steps < 100; steps++) {
      const action = this.actions.get(next);
      if (!action) return undefined;
      const parameters = action.Parameters ?? {};
      switch (action.Type) {
        case 'InvokeLambdaFunction':
          next = await this.invoke(action);
          break;
        case 'UpdateContactAttributes':
          for (const [key, value] of Object.entries(record(parameters.Attributes))) {
            this.attributes[key] = text(this.resolve(value));
          }
          next = action.Transitions?.NextAction;
          break;
        case 'Compare':
          next = branch(action, text(this.resolve(parameters.ComparisonValue)));
          break;
        case 'ShowView': {
          const screen = this.show(action);
          if (screen) return screen;
          next = errorBranch(action, 'NoMatchingError');
          break;
        }
        case 'DisconnectParticipant':
          this.current = undefined;
          return undefined;
        default:
          next = action.Transitions?.NextAction;
      }
    }
    return undefined;
  }

  /**
   * A Lambda block: the real handler gets the block's parameters (`$.Views` as an object, strings
   * as strings), and its answer becomes `$.External`. With ResponseType JSON any JSON is kept,
   * nested (InvokeLambdaFunction reference); otherwise a flat string map is required, as Connect does.
   */
  private async invoke(action: FlowAction): Promise<string | undefined> {
    const parameters = action.Parameters ?? {};
    const arn = String(parameters.LambdaFunctionARN ?? '');
    const name = (GUIDE_FUNCTIONS as Record<string, string>)[placeholder(arn)] ?? arn;
    const handler = name === 'send-template' ? this.handlers.sendTemplate : this.handlers.customerData;
    const json = record(parameters.ResponseValidation).ResponseType === 'JSON';
    const started = performance.now();
    try {
      const answer = await handler({
        Name: 'ContactFlowEvent',
        Details: {
          ContactData: { ContactId: this.contactId, Attributes: { ...this.attributes } },
          Parameters: Object.fromEntries(
            Object.entries(record(parameters.LambdaInvocationAttributes)).map(([key, value]) => [
              key,
              this.lambdaParameter(value),
            ]),
          ),
        },
      });
      if (!json && Object.values(answer).some((value) => typeof value !== 'string')) {
        throw new Error('the answer is not a flat string map, and the block does not validate it as JSON');
      }
      this.external = answer;
      this.log.add('function', `Guide flow → λ ${name}`, performance.now() - started);
      return action.Transitions?.NextAction;
    } catch (error) {
      this.log.add('function', `Guide flow λ ${name} failed: ${String(error)}`);
      return errorBranch(action, 'NoMatchingError');
    }
  }

  /** A ShowView block: the managed view it names, with its data resolved; undefined for any other view. */
  private show(action: FlowAction): GuideScreen | undefined {
    const parameters = action.Parameters ?? {};
    const id = placeholder(String(record(parameters.ViewResource).Id ?? ''));
    const view = (GUIDE_MANAGED_VIEWS as Record<string, ManagedViewName>)[id];
    if (!view) {
      this.log.add('sandbox', `Guide view ${id} is not an AWS managed view the sandbox can draw`);
      return undefined;
    }
    this.current = action;
    const data = record(this.resolveDeep(parameters.ViewData));
    const bytes = Buffer.byteLength(JSON.stringify(data));
    if (bytes > VIEW_DATA_LIMIT_BYTES) {
      this.log.add(
        'sandbox',
        `Guide view ${action.Identifier}: view data is ${bytes} bytes, over ShowView's 16 KB`,
      );
    }
    return { view, data };
  }

  /**
   * A Lambda parameter. `$.Views` goes whole, with `ViewResultData` as a JSON string, as AWS's
   * step-by-step guides sample Lambda receives it (simplifyFormData.mjs parses it).
   */
  private lambdaParameter(value: unknown): unknown {
    if (value === '$.Views') {
      return this.views && { ...this.views, ViewResultData: JSON.stringify(this.views.ViewResultData) };
    }
    return this.resolve(value);
  }

  /** View data may be nested (managed views take objects and lists): references resolve anywhere in it. */
  private resolveDeep(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolveDeep(item));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.resolveDeep(item)]));
    }
    return this.resolve(value);
  }

  /**
   * A flow reference (`$.External.a.b`, `$.Attributes.x`, `$.Views.Action`,
   * `$.Views.ViewResultData.a.b`) or a literal. A reference to nothing resolves to ''.
   */
  private resolve(value: unknown): unknown {
    if (typeof value !== 'string' || !value.startsWith('$.')) return value;
    let found: unknown = { External: this.external, Attributes: this.attributes, Views: this.views };
    for (const key of value.slice(2).split('.')) {
      found = found && typeof found === 'object' ? (found as Record<string, unknown>)[key] : undefined;
    }
    return found ?? '';
  }
}

/** The block a result leads to: the condition naming it, else the NoMatchingCondition error, else NextAction. */
function branch(action: FlowAction, value: string): string | undefined {
  const match = action.Transitions?.Conditions?.find((condition) =>
    condition.Condition.Operands.includes(value),
  );
  return match?.NextAction ?? errorBranch(action, 'NoMatchingCondition') ?? action.Transitions?.NextAction;
}

function errorBranch(action: FlowAction, type: string): string | undefined {
  const errors = action.Transitions?.Errors ?? [];
  return (errors.find((error) => error.ErrorType === type) ?? errors[0])?.NextAction;
}

/** `${CardsViewArn}` → `CardsViewArn`: the flow file's placeholders, as the stack substitutes them. */
function placeholder(value: string): string {
  return value.replace(/^\$\{|\}$/g, '');
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Contact attributes and comparisons are strings: anything else is compared as its JSON. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? '');
}

import { readFileSync } from 'node:fs';
import { GUIDE_MANAGED_VIEWS } from '../infra/constructs/guide-names.js';
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

/** What the agent sees: the view JSON as it is in views/, and the data the flow gives it. */
export interface GuideScreen {
  readonly view: unknown;
  readonly data: Record<string, unknown>;
}

/**
 * The agent guide, run as Connect runs it: the project's guide flow (flows/agent-initiated-template.json)
 * interpreted step by step, its ShowView blocks answered with the views/ JSON, and its Lambda
 * blocks with the real customer-data and send-template entries. Only what the flow uses is
 * interpreted (Lambda, ShowView, attributes, Compare); any other block just moves on.
 */
export class GuideRun {
  private readonly actions: Map<string, FlowAction>;
  private readonly startAction: string;
  private current: FlowAction | undefined;
  private attributes: Record<string, string> = {};
  private external: Record<string, unknown> = {};
  private viewResult: Record<string, string> = {};
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

  /** The agent pressed `action` on the current view with these form values. */
  act(action: string, values: Record<string, string>): Promise<GuideScreen | undefined> {
    const showing = this.current;
    if (!showing) return Promise.resolve(undefined);
    this.viewResult = values;
    const match = showing.Transitions?.Conditions?.find((condition) =>
      condition.Condition.Operands.includes(action),
    );
    return this.runFrom(match?.NextAction ?? errorBranch(showing) ?? showing.Transitions?.NextAction);
  }

  private async runFrom(identifier: string | undefined): Promise<GuideScreen | undefined> {
    let next = identifier;
    for (let steps = 0; next && steps < 100; steps++) {
      const action = this.actions.get(next);
      if (!action) return undefined;
      const parameters = action.Parameters ?? {};
      switch (action.Type) {
        case 'InvokeLambdaFunction': {
          const arn = String(parameters.LambdaFunctionARN ?? '');
          const handler = arn.includes('SendTemplate')
            ? this.handlers.sendTemplate
            : this.handlers.customerData;
          const started = performance.now();
          try {
            this.external = await handler({
              Name: 'ContactFlowEvent',
              Details: {
                ContactData: { ContactId: this.contactId, Attributes: this.attributes },
                Parameters: this.resolveAll(parameters.LambdaInvocationAttributes),
              },
            });
            this.log.add(
              'function',
              `Guide flow → λ ${arn.includes('SendTemplate') ? 'send-template' : 'customer-data'}`,
              performance.now() - started,
            );
            next = action.Transitions?.NextAction;
          } catch (error) {
            this.log.add('function', `Guide flow Lambda failed: ${String(error)}`);
            next = errorBranch(action);
          }
          break;
        }
        case 'UpdateContactAttributes':
          Object.assign(this.attributes, this.resolveAll(parameters.Attributes));
          next = action.Transitions?.NextAction;
          break;
        case 'Compare': {
          const value = String(this.resolve(parameters.ComparisonValue) ?? '');
          const match = action.Transitions?.Conditions?.find((condition) =>
            condition.Condition.Operands.includes(value),
          );
          next = match?.NextAction ?? errorBranch(action) ?? action.Transitions?.NextAction;
          break;
        }
        case 'ShowView': {
          this.current = action;
          const placeholder = String(
            (parameters.ViewResource as { Id?: string } | undefined)?.Id ?? '',
          ).replace(/^\$\{|\}$/g, '');
          // The guide shows only AWS managed views: each is drawn from its data alone.
          const managed = (GUIDE_MANAGED_VIEWS as Record<string, string>)[placeholder];
          const view = { Managed: managed ?? placeholder.split('/').pop() };
          return { view, data: this.resolveDeep(parameters.ViewData) as Record<string, unknown> };
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

  /** Block parameters and attributes: string maps, as Connect passes them. */
  private resolveAll(value: unknown): Record<string, string> {
    const record = (value ?? {}) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(record).map(([key, item]) => {
        const resolved = this.resolve(item);
        return [key, typeof resolved === 'string' ? resolved : JSON.stringify(resolved ?? '')];
      }),
    );
  }

  /** View data may be nested (AWS-managed views take objects and lists): references resolve anywhere in it. */
  private resolveDeep(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolveDeep(item));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.resolveDeep(item)]));
    }
    return this.resolve(value);
  }

  /** A flow reference (`$.External.x`, `$.Attributes.x`, `$.Views.ViewResultData.x`) or a literal. */
  private resolve(value: unknown): unknown {
    if (typeof value !== 'string') return value;
    const [, scope, name] = /^\$\.(External|Attributes|Views\.ViewResultData)\.(.+)$/.exec(value) ?? [];
    if (!scope || !name) return value;
    const source: Record<string, unknown> =
      scope === 'External' ? this.external : scope === 'Attributes' ? this.attributes : this.viewResult;
    return source[name] ?? '';
  }
}

function errorBranch(action: FlowAction): string | undefined {
  return action.Transitions?.Errors?.[0]?.NextAction;
}

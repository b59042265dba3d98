/**
 * A static checker for Amazon Connect flow-language files: structure (version, start, unique ids,
 * resolvable transitions, no orphans, no dead ends), the error branches each block type can take,
 * and the data the flow reads: every `$.External.*` key must be answered by the Lambda that last ran
 * on *every* path to the block, and every `$.Views.ViewResultData.*` key must be an output of the
 * view that was last shown. Views are checked against the ShowView blocks that show them: a
 * customer-managed view's components and bound props, and an AWS managed view's ViewData keys and
 * results, must all be in the project's documented lists: test/support/documented-view-bindings.ts
 * for customer-managed view components, views/aws-managed-views.json for AWS managed views.
 */
import { type DocumentedManagedView, loadManagedViewContract } from '../../infra/constructs/managed-views.js';
import type { DocumentedComponent } from './documented-view-bindings.js';

export type { DocumentedManagedView };

/** What AWS documents for each managed view, by ARN name, from views/aws-managed-views.json (the synth reads the same file). */
export const DOCUMENTED_MANAGED_VIEWS = loadManagedViewContract();

/** One managed view's documented contract; throws if views/aws-managed-views.json does not declare it. */
export function documentedManagedView(name: string): DocumentedManagedView {
  const view = DOCUMENTED_MANAGED_VIEWS[name];
  if (!view) throw new Error(`views/aws-managed-views.json does not declare the ${name} view`);
  return view;
}

export interface FlowAction {
  readonly Identifier: string;
  readonly Type: string;
  readonly Parameters?: Record<string, unknown>;
  readonly Transitions?: {
    readonly NextAction?: string;
    readonly Conditions?: readonly {
      NextAction: string;
      Condition: { Operator: string; Operands: string[] };
    }[];
    readonly Errors?: readonly { NextAction: string; ErrorType: string }[];
  };
}

export interface Flow {
  readonly Version?: string;
  readonly StartAction?: string;
  readonly Actions?: readonly FlowAction[];
}

export interface ViewContent {
  readonly Actions: readonly string[];
  readonly Template: unknown;
}

/** What a ShowView block's ViewResource.Id stands for. */
export type ViewContract =
  | { readonly kind: 'custom'; readonly content: ViewContent }
  | { readonly kind: 'managed'; readonly name: string; readonly documented: DocumentedManagedView };

export interface FlowContracts {
  /** Keys a Lambda answers, by its LambdaFunctionARN value and the block's invocation attributes. */
  lambdaKeys(functionReference: string, attributes: Record<string, string>): readonly string[] | undefined;
  /** The view a ShowView block's ViewResource.Id stands for. */
  view(viewReference: string): ViewContract | undefined;
  /** Documented (component, prop) pairs every customer-managed view is held to. */
  readonly documentedComponents: Readonly<Record<string, DocumentedComponent>>;
}

/** Response types of InvokeLambdaFunction (flow-language reference, InvokeLambdaFunction). */
const RESPONSE_TYPES = new Set(['STRING_MAP', 'JSON']);

/**
 * Error branches each block type must handle. A type missing here fails the check, so a new kind
 * of block is a deliberate decision about its failure modes.
 */
export const REQUIRED_ERRORS: Readonly<Record<string, readonly string[]>> = {
  InvokeLambdaFunction: ['NoMatchingError'],
  ShowView: ['NoMatchingError', 'TimeLimitExceeded'],
  UpdateContactAttributes: ['NoMatchingError'],
  UpdateContactTargetQueue: ['NoMatchingError'],
  TransferContactToQueue: ['QueueAtCapacity', 'NoMatchingError'],
  CheckMetricData: ['NoMatchingError'],
  MessageParticipant: ['NoMatchingError'],
  Compare: [],
  UpdateFlowLoggingBehavior: [],
  DisconnectParticipant: [],
  // Connect flow-language reference: UpdateContactEventHooks, Wait, DequeueContactAndTransferToQueue.
  UpdateContactEventHooks: ['NoMatchingError'],
  Wait: ['NoMatchingError'],
  DequeueContactAndTransferToQueue: ['QueueAtCapacity', 'NoMatchingError'],
  EndFlowExecution: [],
};

/** Blocks that end the flow and so take no transition. */
const TERMINAL = new Set(['DisconnectParticipant', 'EndFlowExecution']);

/**
 * Blocks whose conditions cover every result, so they have no NoMatchingCondition error: a Wait
 * must list "WaitCompleted" and each of its events (flow-language reference, Wait).
 */
const EXHAUSTIVE_CONDITIONS = new Set(['Wait']);

const EXTERNAL = /\$\.External\.([A-Za-z0-9_]+)/g;
const VIEW_RESULT = /\$\.Views\.ViewResultData\.([A-Za-z0-9_]+)/g;
const WHOLE_VIEWS = /^\$\.Views$/;

function targets(action: FlowAction): { next: string[]; conditions: string[]; errors: string[] } {
  const transitions = action.Transitions ?? {};
  return {
    next: transitions.NextAction ? [transitions.NextAction] : [],
    conditions: (transitions.Conditions ?? []).map((condition) => condition.NextAction),
    errors: (transitions.Errors ?? []).map((error) => error.NextAction),
  };
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** `$.name` references in a view template: the inputs the view needs to render. */
export function viewInputs(view: ViewContent): string[] {
  const names = stringsIn(view.Template).flatMap((text) =>
    [...text.matchAll(/^\$\.([A-Za-z0-9_]+)$/g)].map((m) => m[1] as string),
  );
  return [...new Set(names)];
}

/** `Name`s of the view's FormInputs: what `$.Views.ViewResultData` can hold after it. */
export function viewOutputs(view: ViewContent): string[] {
  const names: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      const props = record.Props as Record<string, unknown> | undefined;
      if (
        typeof record.Type === 'string' &&
        record.Type.startsWith('Form') &&
        typeof props?.Name === 'string'
      ) {
        names.push(props.Name);
      }
      Object.values(record).forEach(walk);
    }
  };
  walk(view.Template);
  return names;
}

/** Every problem found in one flow; an empty list means the flow passes. */
export function checkFlow(name: string, flow: Flow, contracts: FlowContracts): string[] {
  const problems: string[] = [];
  const report = (action: string | undefined, message: string) =>
    problems.push(`${name}${action ? ` › ${action}` : ''}: ${message}`);

  if (flow.Version !== '2019-10-30') report(undefined, `Version must be 2019-10-30, not ${flow.Version}`);
  const actions = flow.Actions ?? [];
  if (actions.length === 0 || actions.length > 250)
    report(undefined, `has ${actions.length} actions (1–250 allowed)`);
  const byId = new Map<string, FlowAction>();
  for (const action of actions) {
    if (byId.has(action.Identifier)) report(action.Identifier, 'Identifier is not unique');
    byId.set(action.Identifier, action);
  }
  if (!flow.StartAction || !byId.has(flow.StartAction))
    report(undefined, `StartAction ${flow.StartAction} does not exist`);

  for (const action of actions) {
    const { next, conditions, errors } = targets(action);
    for (const target of [...next, ...conditions, ...errors]) {
      if (!byId.has(target)) report(action.Identifier, `transition to ${target}, which does not exist`);
    }
    const required = REQUIRED_ERRORS[action.Type];
    if (!required) {
      report(action.Identifier, `block type ${action.Type} is not in the checker's table of error branches`);
      continue;
    }
    const handled = new Set((action.Transitions?.Errors ?? []).map((error) => error.ErrorType));
    const needed = [
      ...required,
      ...(conditions.length > 0 && !EXHAUSTIVE_CONDITIONS.has(action.Type) ? ['NoMatchingCondition'] : []),
    ];
    for (const errorType of needed) {
      if (!handled.has(errorType)) report(action.Identifier, `${action.Type} has no ${errorType} branch`);
    }
    if (TERMINAL.has(action.Type)) {
      if (next.length + conditions.length + errors.length > 0)
        report(action.Identifier, 'a terminal block has transitions');
    } else if (next.length === 0) {
      report(action.Identifier, 'dead end: no NextAction');
    }
    if (action.Type === 'InvokeLambdaFunction') checkLambdaBlock(action, contracts, report);
    if (action.Type === 'ShowView') checkShowView(action, contracts, report);
  }

  const reachable = new Set<string>();
  const queue = flow.StartAction ? [flow.StartAction] : [];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (reachable.has(id) || !byId.has(id)) continue;
    reachable.add(id);
    const { next, conditions, errors } = targets(byId.get(id) as FlowAction);
    queue.push(...next, ...conditions, ...errors);
  }
  for (const action of actions) {
    if (!reachable.has(action.Identifier)) report(action.Identifier, 'is never reached from StartAction');
  }

  checkDataFlow(flow, byId, contracts, report);
  return problems;
}

function checkLambdaBlock(
  action: FlowAction,
  contracts: FlowContracts,
  report: (action: string, message: string) => void,
): void {
  const parameters = action.Parameters ?? {};
  const limit = Number(parameters.InvocationTimeLimitSeconds);
  if (!(limit >= 1 && limit <= 8)) report(action.Identifier, 'InvocationTimeLimitSeconds must be 1–8');
  const validation = parameters.ResponseValidation as { ResponseType?: string } | undefined;
  if (!RESPONSE_TYPES.has(String(validation?.ResponseType)))
    report(action.Identifier, 'ResponseType must be STRING_MAP or JSON');
  const reference = String(parameters.LambdaFunctionARN ?? '');
  const keys = contracts.lambdaKeys(reference, lambdaAttributes(action));
  if (!keys) report(action.Identifier, `no known response contract for ${reference}`);
}

function lambdaAttributes(action: FlowAction): Record<string, string> {
  return (action.Parameters?.LambdaInvocationAttributes ?? {}) as Record<string, string>;
}

function checkShowView(
  action: FlowAction,
  contracts: FlowContracts,
  report: (action: string, message: string) => void,
): void {
  const parameters = action.Parameters ?? {};
  const reference = String((parameters.ViewResource as { Id?: string } | undefined)?.Id ?? '');
  const view = contracts.view(reference);
  if (!view) {
    report(action.Identifier, `unknown view ${reference}`);
    return;
  }
  const given = Object.keys((parameters.ViewData ?? {}) as Record<string, unknown>);
  let actions: readonly string[];
  if (view.kind === 'custom') {
    const needed = viewInputs(view.content);
    for (const input of needed) {
      if (!given.includes(input)) report(action.Identifier, `ViewData has no ${input}, which the view shows`);
    }
    for (const key of given) {
      if (!needed.includes(key)) report(action.Identifier, `ViewData ${key} is not an input of the view`);
    }
    for (const problem of checkViewBindings(reference, view.content, contracts.documentedComponents))
      report(action.Identifier, problem);
    actions = view.content.Actions;
  } else {
    for (const key of given) {
      if (!view.documented.viewData.includes(key))
        report(action.Identifier, `ViewData ${key} is not documented for the ${view.name} view`);
    }
    for (const key of view.documented.requiredViewData) {
      if (!given.includes(key))
        report(action.Identifier, `ViewData has no ${key}, which the ${view.name} view requires`);
    }
    actions = view.documented.results;
  }
  const operands = (action.Transitions?.Conditions ?? []).flatMap(
    (condition) => condition.Condition.Operands,
  );
  for (const operand of operands) {
    if (!actions.includes(operand))
      report(action.Identifier, `branches on ${operand}, which the view has no button for`);
  }
  for (const viewAction of actions) {
    if (!operands.includes(viewAction))
      report(action.Identifier, `the view's ${viewAction} button has no branch`);
  }
}

/** What `$.Views.ViewResultData` holds after a view: a custom form's inputs, a managed view's outputs. */
function viewResultKeys(view: ViewContract): readonly string[] {
  return view.kind === 'custom' ? viewOutputs(view.content) : view.documented.outputs;
}

/** What may have run last when a block starts: a Lambda or view block id, or a marker. */
interface Provenance {
  readonly lambda: string;
  readonly view: string;
}
const NONE = '(none)';
const FAILED = '(failed)';

function checkDataFlow(
  flow: Flow,
  byId: Map<string, FlowAction>,
  contracts: FlowContracts,
  report: (action: string, message: string) => void,
): void {
  if (!flow.StartAction || !byId.has(flow.StartAction)) return;
  // Forward data-flow analysis: the set of (last Lambda, last view) pairs that reach each block.
  const states = new Map<string, Set<string>>();
  const work: [string, Provenance][] = [[flow.StartAction, { lambda: NONE, view: NONE }]];
  while (work.length > 0) {
    const [id, state] = work.pop() as [string, Provenance];
    const action = byId.get(id);
    if (!action) continue;
    const seen = states.get(id) ?? new Set<string>();
    const key = `${state.lambda}|${state.view}`;
    if (seen.has(key)) continue;
    seen.add(key);
    states.set(id, seen);
    const { next, conditions, errors } = targets(action);
    const onSuccess =
      action.Type === 'InvokeLambdaFunction'
        ? { ...state, lambda: id }
        : action.Type === 'ShowView'
          ? { ...state, view: id }
          : state;
    const onError =
      action.Type === 'InvokeLambdaFunction'
        ? { ...state, lambda: FAILED }
        : action.Type === 'ShowView'
          ? { ...state, view: FAILED }
          : state;
    for (const target of [...next, ...conditions]) work.push([target, onSuccess]);
    for (const target of errors) work.push([target, onError]);
  }

  for (const [id, reaching] of states) {
    const action = byId.get(id) as FlowAction;
    const texts = stringsIn(action.Parameters ?? {});
    const externals = texts.flatMap((text) => [...text.matchAll(EXTERNAL)].map((m) => m[1] as string));
    const results = texts.flatMap((text) => [...text.matchAll(VIEW_RESULT)].map((m) => m[1] as string));
    const readsViews = texts.some((text) => WHOLE_VIEWS.test(text));
    for (const pair of reaching) {
      const [lambdaId, viewId] = pair.split('|') as [string, string];
      for (const key of new Set(externals)) {
        const lambda = byId.get(lambdaId);
        const keys = lambda
          ? contracts.lambdaKeys(String(lambda.Parameters?.LambdaFunctionARN), lambdaAttributes(lambda))
          : undefined;
        if (!keys?.includes(key)) {
          report(
            id,
            `reads $.External.${key}, but on some path the last Lambda is ${lambdaId}, which does not answer it`,
          );
        }
      }
      for (const key of new Set(results)) {
        const viewAction = byId.get(viewId);
        const view = viewAction
          ? contracts.view(String((viewAction.Parameters?.ViewResource as { Id?: string } | undefined)?.Id))
          : undefined;
        if (!view || !viewResultKeys(view).includes(key)) {
          report(
            id,
            `reads $.Views.ViewResultData.${key}, but on some path the last view is ${viewId}, which has no such input`,
          );
        }
      }
      if (readsViews && !byId.has(viewId)) {
        report(id, `reads $.Views, but on some path no view has answered (${viewId})`);
      }
    }
  }
}

/**
 * Every component of a customer-managed view, every prop, and every prop bound to a `$.` input
 * must be in the project's list of documented (component, prop) pairs; `Visibility` must be a
 * boolean; a component's `Content` must not be bound to an input. An empty list means the view
 * uses only what AWS documents.
 */
export function checkViewBindings(
  name: string,
  view: ViewContent,
  documented: Readonly<Record<string, DocumentedComponent>>,
): string[] {
  const problems: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as {
      _id?: string;
      Type?: unknown;
      Props?: Record<string, unknown>;
      Content?: unknown;
    };
    if (typeof record.Type === 'string' && record.Props) {
      const where = `${name} › ${record._id ?? record.Type}`;
      const entry = documented[record.Type];
      if (!entry) problems.push(`${where}: component ${record.Type} is not documented`);
      for (const [prop, value] of Object.entries(record.Props)) {
        const bound = typeof value === 'string' && value.startsWith('$.');
        if (entry && !entry.props.includes(prop))
          problems.push(`${where}: ${record.Type}.${prop} is not documented`);
        else if (entry && bound && !entry.bound.includes(prop))
          problems.push(
            `${where}: ${record.Type}.${prop} is bound to ${value}, which no documentation shows`,
          );
        if (prop === 'Visibility' && typeof value !== 'boolean')
          problems.push(`${where}: Visibility must be a boolean, not ${JSON.stringify(value)}`);
      }
      const texts = Array.isArray(record.Content) ? record.Content.filter((c) => typeof c === 'string') : [];
      for (const text of texts as string[]) {
        if (text.startsWith('$.'))
          problems.push(`${where}: Content is bound to ${text}, which no documentation shows`);
      }
    }
    Object.values(record).forEach(walk);
  };
  walk(view.Template);
  return problems;
}

const ATTRIBUTE = /^\$\.Attributes\.([A-Za-z0-9_]+)$/;

/**
 * Routing to one agent, as the inbound flow does for route-back and the preferred agent:
 * - every UpdateContactTargetQueue given an `AgentId` from a contact attribute is reached only
 *   through a Compare condition on that attribute (a positive check: Connect cannot compare
 *   against an absent attribute, "To check for a NULL value, you need to use a Lambda");
 * - every path from it that transfers the chat to the agent's queue first arms a CustomerQueue
 *   hook (UpdateContactEventHooks), whose flow moves the chat on if the agent does not take it.
 * Without the hook, a chat queued for an agent who went offline waits until it expires.
 */
export function checkAgentRouting(name: string, flow: Flow): string[] {
  const problems: string[] = [];
  const byId = new Map((flow.Actions ?? []).map((action) => [action.Identifier, action]));
  const agentQueues = (flow.Actions ?? []).filter(
    (action) => action.Type === 'UpdateContactTargetQueue' && action.Parameters?.AgentId !== undefined,
  );

  // Forward analysis: which attributes a Compare condition has proven present on the way in.
  const proven = new Map<string, Set<string>>();
  const work: [string, readonly string[]][] = flow.StartAction ? [[flow.StartAction, []]] : [];
  while (work.length > 0) {
    const [id, known] = work.pop() as [string, readonly string[]];
    const action = byId.get(id);
    const key = [...known].sort().join(',');
    const seen = proven.get(id) ?? new Set<string>();
    if (!action || seen.has(key)) continue;
    seen.add(key);
    proven.set(id, seen);
    const { next, conditions, errors } = targets(action);
    const compared = ATTRIBUTE.exec(String(action.Parameters?.ComparisonValue ?? ''))?.[1];
    const onCondition = action.Type === 'Compare' && compared ? [...known, compared] : known;
    for (const target of conditions) work.push([target, onCondition]);
    for (const target of [...next, ...errors]) work.push([target, known]);
  }
  for (const action of agentQueues) {
    const attribute = ATTRIBUTE.exec(String(action.Parameters?.AgentId))?.[1];
    const reaching = [...(proven.get(action.Identifier) ?? [])];
    if (!attribute) {
      problems.push(`${name} › ${action.Identifier}: AgentId is not a contact attribute`);
    } else if (reaching.some((known) => !known.split(',').includes(attribute))) {
      problems.push(
        `${name} › ${action.Identifier}: reached on some path without a Compare condition on ${attribute}`,
      );
    }
  }

  // From each agent queue: every transfer while that queue is the target comes after the hook.
  for (const action of agentQueues) {
    const visited = new Set<string>();
    const walk: [string, boolean][] = targets(action).next.map((id) => [id, false]);
    while (walk.length > 0) {
      const [id, hooked] = walk.pop() as [string, boolean];
      const block = byId.get(id);
      if (!block || visited.has(`${id}|${hooked}`)) continue;
      visited.add(`${id}|${hooked}`);
      // Another target queue replaces the agent's: nothing from here on waits for the agent.
      if (block.Type === 'UpdateContactTargetQueue') continue;
      if (block.Type === 'TransferContactToQueue' && !hooked) {
        problems.push(
          `${name} › ${action.Identifier}: ${id} transfers to the agent's queue before a CustomerQueue hook is armed`,
        );
        continue;
      }
      const arms =
        block.Type === 'UpdateContactEventHooks' &&
        (block.Parameters?.EventHooks as { CustomerQueue?: unknown } | undefined)?.CustomerQueue !==
          undefined;
      const { next, conditions, errors } = targets(block);
      for (const target of [...next, ...conditions]) walk.push([target, hooked || arms]);
      for (const target of errors) walk.push([target, hooked]);
    }
  }
  return problems;
}

/**
 * Data for an AWS managed view (a ShowView block's ViewData with every `$.External.*` resolved)
 * checked against what AWS documents for that view: every key at every depth, enumerated values,
 * and no string that Connect would read as a `$.` reference. An empty list means it fits.
 */
export function checkManagedViewData(
  name: string,
  data: Readonly<Record<string, unknown>>,
  documented: DocumentedManagedView,
): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(data)) {
    if (!documented.viewData.includes(key)) problems.push(`${name}: ${key} is not documented`);
  }
  const walk = (value: unknown, path: string, at: string) => {
    if (typeof value === 'string') {
      if (value.startsWith('$.'))
        problems.push(`${name} › ${at}: ${JSON.stringify(value)} would be read as a reference`);
      const allowed = documented.values[path];
      if (allowed && !allowed.includes(value))
        problems.push(`${name} › ${at}: ${value} is not a documented value`);
      return;
    }
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, `${path}[]`, `${at}[${index}]`);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const shape = documented.shapes[path];
    if (!shape) {
      problems.push(`${name} › ${at}: an object here is not documented`);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (!shape.includes(key)) problems.push(`${name} › ${at}.${key} is not documented`);
      else walk(child, `${path}.${key}`, `${at}.${key}`);
    }
  };
  for (const [key, value] of Object.entries(data)) walk(value, key, key);
  return problems;
}

/** A ShowView block's ViewData with each `$.External.<key>` replaced by the Lambda's answer. */
export function resolveViewData(
  action: FlowAction,
  answer: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const viewData = (action.Parameters?.ViewData ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(viewData).map(([key, value]) => {
      const external = typeof value === 'string' ? /^\$\.External\.([A-Za-z0-9_]+)$/.exec(value) : null;
      return [key, external ? answer[external[1] as string] : value];
    }),
  );
}

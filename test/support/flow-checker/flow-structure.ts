/**
 * The flow's structure: version, start, unique ids, resolvable transitions, the error branches each
 * block type must handle, no dead ends and no orphans; then each block's own checks and the data flow.
 */
import { checkDataFlow } from './data-flow.js';
import { type Flow, type FlowAction, type FlowContracts, lambdaAttributes, targets } from './flow-model.js';
import { checkShowView } from './view-bindings.js';

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

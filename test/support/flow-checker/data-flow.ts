/**
 * Forward data-flow analysis over a flow: every `$.External.*` key must be answered by the Lambda
 * that last ran on *every* path to the block, and every `$.Views.ViewResultData.*` key must be an
 * output of the view that was last shown.
 */
import {
  type Flow,
  type FlowAction,
  type FlowContracts,
  lambdaAttributes,
  stringsIn,
  targets,
  type ViewContract,
} from './flow-model.js';
import { viewOutputs } from './view-bindings.js';

const EXTERNAL = /\$\.External\.([A-Za-z0-9_]+)/g;
const VIEW_RESULT = /\$\.Views\.ViewResultData\.([A-Za-z0-9_]+)/g;
const WHOLE_VIEWS = /^\$\.Views$/;

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

/** Reports every key a block reads that the Lambda or view that ran last does not answer on some path. */
export function checkDataFlow(
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

/**
 * A static checker for Amazon Connect flow-language files: structure (version, start, unique ids,
 * resolvable transitions, no orphans, no dead ends), the error branches each block type can take,
 * and the data the flow reads: every `$.External.*` key must be answered by the Lambda that last ran
 * on *every* path to the block, and every `$.Views.ViewResultData.*` key must be an output of the
 * view that was last shown. Views are checked against the ShowView blocks that show them: a
 * customer-managed view's components and bound props, and an AWS managed view's ViewData keys and
 * results, must all be in the project's documented lists: documented-components.ts for
 * customer-managed view components, views/aws-managed-views.json for AWS managed views.
 *
 * Modules: flow-model (shapes, contracts, graph helpers), flow-structure (checkFlow), data-flow,
 * view-bindings, agent-routing, managed-view-data, documented-components.
 */
export type { DocumentedManagedView } from '../../../infra/constructs/managed-views.js';
export { checkAgentRouting } from './agent-routing.js';
export { DOCUMENTED_COMPONENTS, type DocumentedComponent } from './documented-components.js';
export type { Flow, FlowAction, FlowContracts, ViewContent, ViewContract } from './flow-model.js';
export { checkFlow, REQUIRED_ERRORS } from './flow-structure.js';
export {
  checkManagedViewData,
  DOCUMENTED_MANAGED_VIEWS,
  documentedManagedView,
  resolveViewData,
} from './managed-view-data.js';
export { checkViewBindings, viewInputs, viewOutputs } from './view-bindings.js';

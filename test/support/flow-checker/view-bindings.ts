/**
 * Views against the ShowView blocks that show them: a customer-managed view's inputs, outputs,
 * components and bound props, and an AWS managed view's ViewData keys and results.
 */
import type { DocumentedComponent } from './documented-components.js';
import { type FlowAction, type FlowContracts, stringsIn, type ViewContent } from './flow-model.js';

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

/** Checks a ShowView block's ViewData and branches against the view its ViewResource.Id stands for. */
export function checkShowView(
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

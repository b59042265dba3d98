/**
 * AWS managed views: their documented contract from views/aws-managed-views.json (the synth reads
 * the same file), and the data the guide's Lambdas build for them, checked against it.
 */
import {
  type DocumentedManagedView,
  loadManagedViewContract,
} from '../../../infra/constructs/managed-views.js';
import type { FlowAction } from './flow-model.js';

/** What AWS documents for each managed view, by ARN name, from views/aws-managed-views.json (the synth reads the same file). */
export const DOCUMENTED_MANAGED_VIEWS = loadManagedViewContract();

/** One managed view's documented contract; throws if views/aws-managed-views.json does not declare it. */
export function documentedManagedView(name: string): DocumentedManagedView {
  const view = DOCUMENTED_MANAGED_VIEWS[name];
  if (!view) throw new Error(`views/aws-managed-views.json does not declare the ${name} view`);
  return view;
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

/** The flow-language shapes the checker reads, the contracts it checks them against, and graph helpers. */
import type { DocumentedManagedView } from '../../../infra/constructs/managed-views.js';
import type { DocumentedComponent } from './documented-components.js';

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

/** Every block a block can go to next: its NextAction, its conditions' and its errors' targets. */
export function targets(action: FlowAction): { next: string[]; conditions: string[]; errors: string[] } {
  const transitions = action.Transitions ?? {};
  return {
    next: transitions.NextAction ? [transitions.NextAction] : [],
    conditions: (transitions.Conditions ?? []).map((condition) => condition.NextAction),
    errors: (transitions.Errors ?? []).map((error) => error.NextAction),
  };
}

/** Every string in a value, at any depth: where a block's parameters may reference data. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** The invocation attributes a Lambda block sends (`LambdaInvocationAttributes`). */
export function lambdaAttributes(action: FlowAction): Record<string, string> {
  return (action.Parameters?.LambdaInvocationAttributes ?? {}) as Record<string, string>;
}

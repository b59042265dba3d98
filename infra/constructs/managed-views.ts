import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Construct } from 'constructs';
import { z } from 'zod';
import { managedViewArn } from './arns.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The documented contract of every AWS managed view the guide may show (views/README.md). */
export const MANAGED_VIEWS_FILE = 'views/aws-managed-views.json';

const names = z.array(z.string().min(1));

const managedViewSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'must be the <name> of arn:aws:connect:<region>:aws:view/<name>'),
    source: z.string().min(1),
    viewData: names,
    requiredViewData: names,
    results: names,
    outputs: names,
    shapes: z.record(z.string(), names),
    values: z.record(z.string(), names),
    notes: z.array(z.string()),
  })
  .strict()
  .refine((view) => view.requiredViewData.every((key) => view.viewData.includes(key)), {
    message: 'every requiredViewData key must also be in viewData',
  });

const contractSchema = z.object({
  description: z.string(),
  fields: z.record(z.string(), z.string()),
  views: z.array(managedViewSchema).min(1),
});

/**
 * An AWS managed view (`arn:aws:connect:<region>:aws:view/<name>`) as AWS documents it: the
 * ViewData keys it takes, the results a ShowView branches on, the outputs in
 * `$.Views.ViewResultData`, and the nested shapes and enumerated values of its data.
 */
export type DocumentedManagedView = Readonly<z.infer<typeof managedViewSchema>>;

/** Thrown at synth time when views/aws-managed-views.json is malformed or lacks a view the guide shows. */
export class ManagedViewContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManagedViewContractError';
  }
}

/** Reads views/aws-managed-views.json: what the synth and the flow checker hold the guide's views to. */
export function loadManagedViewContract(
  relativePath: string = MANAGED_VIEWS_FILE,
): Readonly<Record<string, DocumentedManagedView>> {
  return parseManagedViewContract(readFileSync(`${projectRoot}${relativePath}`, 'utf8'), relativePath);
}

/** The contract's views by ARN name, refusing malformed JSON, a malformed entry or a name declared twice. */
export function parseManagedViewContract(
  text: string,
  source: string,
): Readonly<Record<string, DocumentedManagedView>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManagedViewContractError(`${source} is not JSON: ${(error as Error).message}`);
  }
  const parsed = contractSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ManagedViewContractError([`${source} is malformed:`, ...issues].join('\n'));
  }
  const byName: Record<string, DocumentedManagedView> = {};
  for (const view of parsed.data.views) {
    if (byName[view.name]) throw new ManagedViewContractError(`${source} declares ${view.name} twice`);
    byName[view.name] = view;
  }
  return byName;
}

/**
 * The ARN of each managed view a flow placeholder stands for, in the stack's partition and Region.
 * It fails the synth when the flow would show a managed view the contract does not declare, so no
 * view reaches Connect without its documented ViewData, results and outputs being checked.
 */
export function declaredManagedViewArns<Placeholder extends string>(
  scope: Construct,
  views: Readonly<Record<Placeholder, string>>,
  contract: Readonly<Record<string, DocumentedManagedView>> = loadManagedViewContract(),
): Record<Placeholder, string> {
  const entries = Object.entries(views) as [Placeholder, string][];
  const undeclared = entries.filter(([, name]) => !contract[name]);
  if (undeclared.length > 0) {
    throw new ManagedViewContractError(
      [
        `The guide flow shows AWS managed views that ${MANAGED_VIEWS_FILE} does not declare:`,
        ...undeclared.map(([placeholder, name]) => `  \${${placeholder}} → ${name}`),
        'Add each view with what AWS documents for it (views/README.md), or stop showing it.',
      ].join('\n'),
    );
  }
  return Object.fromEntries(
    entries.map(([placeholder, name]) => [placeholder, managedViewArn(scope, name)]),
  ) as Record<Placeholder, string>;
}

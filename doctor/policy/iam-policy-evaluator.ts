/**
 * A small evaluator of IAM resource policies (topic, queue and key policies), for the subset the
 * relay's templates use. The CDK tests run it on the synthesized template and `npm run doctor` on
 * the deployed policies, so both prove who may publish, send and use the key with one logic,
 * without asking AWS to simulate anything. It follows the IAM user guide:
 * - Evaluation logic: an explicit Deny in any statement wins; otherwise an Allow is needed; with
 *   neither the request is implicitly denied ("Policy evaluation logic", reference_policies_evaluation-logic).
 * - Principal "*" and {"AWS": "*"} name every principal; an account id or `:root` ARN names every
 *   IAM principal of that account ("AWS JSON policy elements: Principal").
 * - Actions match case-insensitively, with `*` and `?` wildcards; resources case-sensitively.
 * - Condition operators (reference_policies_elements_condition_operators): keys within a block and
 *   blocks within a statement are ANDed; several values for one key are ORed, except for negated
 *   operators, where the key must match none of them. A key absent from the request makes a
 *   positive operator false and a negated operator true; `…IfExists` makes an absent key true.
 *   ArnEquals and ArnLike behave alike: each of the six ARN parts is matched on its own, with wildcards.
 */

/** Who makes the request: an IAM role or user (by ARN), or an AWS service principal. */
export type RequestPrincipal =
  | { readonly kind: 'aws'; readonly arn: string }
  | { readonly kind: 'service'; readonly service: string };

/** One request to evaluate: who, what, on which resource, and the request context's keys. */
export interface PolicyRequest {
  readonly principal: RequestPrincipal;
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | undefined>>;
}

/** The outcome, with the statements that decided it (by Sid, or by index when there is none). */
export type PolicyDecision =
  | { readonly decision: 'allowed'; readonly by: readonly string[] }
  | { readonly decision: 'explicit-deny'; readonly by: readonly string[] }
  | { readonly decision: 'implicit-deny' };

type StringOrList = string | readonly string[];
type PrincipalElement = '*' | Readonly<Record<string, StringOrList>>;

/** An IAM policy statement as it appears in a policy document (already resolved to strings). */
export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: PrincipalElement;
  readonly NotPrincipal?: PrincipalElement;
  readonly Action?: StringOrList;
  readonly NotAction?: StringOrList;
  readonly Resource?: StringOrList;
  readonly NotResource?: StringOrList;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** A policy document: `{ Statement: [...] }`. */
export interface PolicyDocumentJson {
  readonly Statement: readonly PolicyStatementJson[] | PolicyStatementJson;
}

/** Thrown for a policy element this evaluator does not implement, so no test passes by accident. */
export class UnsupportedPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedPolicyError';
  }
}

/** Decides one request against the resource policies that apply to it (e.g. a topic policy). */
export function evaluatePolicies(
  documents: readonly PolicyDocumentJson[],
  request: PolicyRequest,
): PolicyDecision {
  const statements = documents.flatMap((document) =>
    Array.isArray(document.Statement) ? document.Statement : [document.Statement as PolicyStatementJson],
  );
  const applying = statements
    .map((statement, index) => ({ statement, name: statement.Sid ?? `#${index}` }))
    .filter(({ statement }) => statementApplies(statement, request));
  const denies = applying.filter(({ statement }) => statement.Effect === 'Deny').map(({ name }) => name);
  if (denies.length > 0) return { decision: 'explicit-deny', by: denies };
  const allows = applying.filter(({ statement }) => statement.Effect === 'Allow').map(({ name }) => name);
  return allows.length > 0 ? { decision: 'allowed', by: allows } : { decision: 'implicit-deny' };
}

/** Whether one statement matches the request in principal, action, resource and conditions. */
export function statementApplies(statement: PolicyStatementJson, request: PolicyRequest): boolean {
  return (
    principalMatches(statement, request.principal) &&
    listMatches(statement.Action, statement.NotAction, (pattern) =>
      wildcardMatch(pattern.toLowerCase(), request.action.toLowerCase()),
    ) &&
    listMatches(statement.Resource, statement.NotResource, (pattern) =>
      wildcardMatch(pattern, request.resource),
    ) &&
    conditionsHold(statement.Condition ?? {}, request.context ?? {})
  );
}

function principalMatches(statement: PolicyStatementJson, principal: RequestPrincipal): boolean {
  if (statement.Principal !== undefined && statement.NotPrincipal !== undefined) {
    throw new UnsupportedPolicyError('a statement cannot have both Principal and NotPrincipal');
  }
  if (statement.Principal !== undefined) return principalElementNames(statement.Principal, principal);
  if (statement.NotPrincipal !== undefined) return !principalElementNames(statement.NotPrincipal, principal);
  throw new UnsupportedPolicyError('resource policy statements need Principal or NotPrincipal');
}

function principalElementNames(element: PrincipalElement, principal: RequestPrincipal): boolean {
  if (element === '*') return true;
  return Object.entries(element).some(([type, values]) =>
    asList(values).some((value) => principalValueNames(type, value, principal)),
  );
}

function principalValueNames(type: string, value: string, principal: RequestPrincipal): boolean {
  if (type === 'AWS') {
    if (value === '*') return true;
    if (principal.kind !== 'aws') return false;
    const account = /^\d{12}$/.test(value) ? value : /^arn:[^:]+:iam::(\d{12}):root$/.exec(value)?.[1];
    return account !== undefined ? principal.arn.split(':')[4] === account : principal.arn === value;
  }
  if (type === 'Service') return principal.kind === 'service' && principal.service === value;
  throw new UnsupportedPolicyError(`principal type ${type} is not supported`);
}

function listMatches(
  list: StringOrList | undefined,
  notList: StringOrList | undefined,
  matches: (pattern: string) => boolean,
): boolean {
  if (list !== undefined) return asList(list).some(matches);
  if (notList !== undefined) return !asList(notList).some(matches);
  throw new UnsupportedPolicyError('a statement needs Action/NotAction and Resource/NotResource');
}

type Comparison = (policyValue: string, requestValue: string) => boolean;

const COMPARISONS: Readonly<Record<string, Comparison>> = {
  StringEquals: (policy, request) => policy === request,
  StringLike: (policy, request) => wildcardMatch(policy, request),
  ArnEquals: (policy, request) => arnMatch(policy, request),
  ArnLike: (policy, request) => arnMatch(policy, request),
  Bool: (policy, request) => policy.toLowerCase() === request.toLowerCase(),
};

const NEGATIONS: Readonly<Record<string, string>> = {
  StringNotEquals: 'StringEquals',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

function conditionsHold(
  condition: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  context: Readonly<Record<string, string | undefined>>,
): boolean {
  return Object.entries(condition).every(([operator, block]) =>
    Object.entries(block).every(([key, values]) => conditionHolds(operator, key, values, context)),
  );
}

function conditionHolds(
  rawOperator: string,
  key: string,
  rawValues: unknown,
  context: Readonly<Record<string, string | undefined>>,
): boolean {
  const ifExists = rawOperator.endsWith('IfExists');
  const operator = ifExists ? rawOperator.slice(0, -'IfExists'.length) : rawOperator;
  const positive = NEGATIONS[operator] ?? operator;
  const compare = COMPARISONS[positive];
  if (!compare) {
    throw new UnsupportedPolicyError(`condition operator ${rawOperator} is not supported`);
  }
  const values: readonly unknown[] = Array.isArray(rawValues) ? rawValues : [rawValues];
  if (values.some((value) => typeof value !== 'string')) {
    throw new UnsupportedPolicyError(`condition ${rawOperator} ${key} has an unresolved value`);
  }
  // Condition keys are case-insensitive.
  const requestValue = Object.entries(context).find(
    ([name]) => name.toLowerCase() === key.toLowerCase(),
  )?.[1];
  const negated = positive !== operator;
  if (requestValue === undefined) return ifExists || negated;
  const anyMatches = (values as readonly string[]).some((value) => compare(value, requestValue));
  return negated ? !anyMatches : anyMatches;
}

function arnMatch(pattern: string, arn: string): boolean {
  const patternParts = pattern.split(':');
  const arnParts = arn.split(':');
  if (patternParts.length < 6 || arnParts.length < 6) return false;
  // The sixth part (the resource) may itself contain colons.
  const head = (parts: string[]) => [...parts.slice(0, 5), parts.slice(5).join(':')];
  const expected = head(patternParts);
  const actual = head(arnParts);
  return expected.every((part, index) => wildcardMatch(part, actual[index] ?? ''));
}

/** `*` matches any run of characters and `?` any one character; everything else literally. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

function asList(value: StringOrList): readonly string[] {
  return typeof value === 'string' ? [value] : value;
}

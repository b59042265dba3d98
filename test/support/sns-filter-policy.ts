/**
 * A small evaluator of SNS subscription filter policies on message attributes (the scope the
 * relay uses), following the SNS developer guide:
 * - "Subscription filter policies": a subscription accepts a message only when each property
 *   name in the policy matches a message attribute, and at least one of that property's values
 *   matches the attribute's value. So a property the policy names that the message lacks never
 *   matches (except `exists: false`).
 * - "AND/OR logic": several property names are ANDed, several values are ORed, and `"$or": [{…}, {…}]`
 *   (at least two objects) ORs whole sub-policies, which may nest.
 * - "Key matching": `{"exists": true}` needs the attribute, `{"exists": false}` needs it absent.
 * - "Anything-but matching": matches an attribute present with none of the listed values.
 * - "String value matching": exact values, and `{"prefix": "…"}`.
 */

/** A message's attributes as SNS passes them to a filter (String values). */
export type MessageAttributes = Readonly<Record<string, string>>;

type Condition =
  | string
  | { readonly 'anything-but': string | readonly string[] }
  | { readonly exists: boolean }
  | { readonly prefix: string };

/** A filter policy (MessageAttributes scope). */
export type FilterPolicy = Readonly<Record<string, unknown>>;

/** Thrown for a filter-policy construct the evaluator does not implement. */
export class UnsupportedFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedFilterError';
  }
}

/** Whether SNS would deliver a message with these attributes through a subscription with this policy. */
export function filterPolicyMatches(policy: FilterPolicy, attributes: MessageAttributes): boolean {
  return Object.entries(policy).every(([name, rule]) => {
    if (name === '$or' && isOrRule(rule))
      return rule.some((branch) => filterPolicyMatches(branch, attributes));
    if (!Array.isArray(rule)) throw new UnsupportedFilterError(`property ${name} must list its values`);
    return (rule as readonly Condition[]).some((condition) => conditionMatches(condition, attributes[name]));
  });
}

function isOrRule(rule: unknown): rule is readonly FilterPolicy[] {
  return (
    Array.isArray(rule) &&
    rule.length >= 2 &&
    rule.every((branch) => typeof branch === 'object' && branch !== null && !Array.isArray(branch))
  );
}

function conditionMatches(condition: Condition, value: string | undefined): boolean {
  if (typeof condition === 'string') return value === condition;
  if ('exists' in condition) return condition.exists === (value !== undefined);
  if (value === undefined) return false;
  if ('anything-but' in condition) {
    const excluded = condition['anything-but'];
    return !(typeof excluded === 'string' ? [excluded] : excluded).includes(value);
  }
  if ('prefix' in condition) return value.startsWith(condition.prefix);
  throw new UnsupportedFilterError(`filter condition ${JSON.stringify(condition)} is not supported`);
}

import { type Flow, targets } from './flow-model.js';

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

/**
 * A WhatsApp Business Account has exactly one event destination ("A WABA can only have one event
 * destination at a time", PutWhatsAppBusinessAccountEventDestinations). These are the rules for
 * changing it at deploy time without cutting off anyone else who uses it.
 */

/** What a deploy does to the destination. */
export type DeployPlan =
  | { readonly kind: 'set' }
  | { readonly kind: 'take-over'; readonly replacing: string }
  | { readonly kind: 'refuse'; readonly reason: string };

/** What a stack deletion does to the destination. */
export type RemovalPlan = { readonly kind: 'clear' } | { readonly kind: 'leave'; readonly reason: string };

/** The destination as it is now, and what this stack wants it to be. */
export interface DestinationState {
  readonly wabaId: string;
  /** The destination ARN set today, if any. */
  readonly current: string | undefined;
  /** This stack's inbound topic. */
  readonly ours: string;
  /** The topic this stack set before an update replaced it, if any: still ours. */
  readonly previouslyOurs?: string;
}

/**
 * Set the destination when it is unset or already this stack's; refuse when it points elsewhere,
 * naming both ARNs, unless the deployment says to take it over.
 */
export function planDeploy(state: DestinationState, takeOver: boolean): DeployPlan {
  const { current } = state;
  if (current === undefined || current === state.ours || current === state.previouslyOurs)
    return { kind: 'set' };
  if (takeOver) return { kind: 'take-over', replacing: current };
  return {
    kind: 'refuse',
    reason:
      `WhatsApp Business Account ${state.wabaId} already sends its events to ${current}, and this stack ` +
      `would point it at ${state.ours} instead. A WABA has one event destination, so that would cut the ` +
      'other destination off. Remove it from the WABA first, or set "takeOverEventDestination": true in ' +
      'the relay configuration to replace it.',
  };
}

/** Clear the destination on deletion only while it is still this stack's topic. */
export function planRemoval(state: Omit<DestinationState, 'previouslyOurs'>): RemovalPlan {
  if (state.current === state.ours) return { kind: 'clear' };
  return {
    kind: 'leave',
    reason:
      state.current === undefined
        ? 'no event destination is set'
        : `the event destination is ${state.current}, not this stack's topic`,
  };
}

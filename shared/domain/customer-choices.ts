/**
 * What the relay remembers about a customer between chats, beside the chat itself. Both are kept on
 * the conversation (keyed by business number + BSUID-first customer id), so they follow the customer
 * through a number change.
 */

/**
 * The agent on the conversation's chat now, else the last agent who was: the latest agent to join
 * (preferred-agent routing, callbacks). Recorded by the outbound relay on each agent
 * `participant.joined`, never replaced by an earlier join (shared/use-cases/record-last-agent.ts).
 */
export interface AgentAssignment {
  /**
   * Connect user id of the agent: DescribeContact's `AgentInfo.Id` ("the agent who accepted the
   * contact") on the contact they joined, which UpdateContactTargetQueue accepts as `AgentId`.
   */
  readonly agentId: string;
  /** The contact the agent joined (after a transfer, not the chat's initial contact). */
  readonly contactId: string;
  /** Epoch ms when the agent joined (the event's AbsoluteTime); orders late events. */
  readonly at: number;
}

/**
 * The agent a returning customer's next chat should be offered to first: the last agent, while
 * their join is at most `hours` old. Undefined when there is none or it is older.
 */
export function preferredAgentFor(
  conversation: { readonly lastAgent?: AgentAssignment } | undefined,
  now: number,
  hours: number,
): string | undefined {
  const last = conversation?.lastAgent;
  if (!last) return undefined;
  return now - last.at <= hours * 3_600_000 ? last.agentId : undefined;
}

/** The customer's marketing choice, from Meta's `user_preferences` webhook or a STOP-like keyword. */
export type MarketingPreference =
  | { readonly state: 'unknown' }
  | { readonly state: 'opted-out'; readonly at: number; readonly source: 'meta' | 'keyword' }
  | { readonly state: 'opted-in'; readonly at: number; readonly source: 'meta' | 'keyword' };

/** What a conversation with no recorded choice says. */
export const UNKNOWN_MARKETING: MarketingPreference = { state: 'unknown' };

/**
 * What the relay remembers about a customer between chats, beside the chat itself. Both are kept on
 * the conversation (keyed by business number + BSUID-first customer id), so they follow the customer
 * through a number change.
 */

/** The agent who last handled the conversation: read for preferred-agent routing and callbacks. */
export interface AgentAssignment {
  /** Connect user id of the agent (participant.joined on the chat's streaming). */
  readonly agentId: string;
  /** The chat contact the agent joined. */
  readonly contactId: string;
  /** Epoch ms when the relay saw the agent join. */
  readonly at: number;
}

/** The customer's marketing choice, from Meta's `user_preferences` webhook or a STOP-like keyword. */
export type MarketingPreference =
  | { readonly state: 'unknown' }
  | { readonly state: 'opted-out'; readonly at: number; readonly source: 'meta' | 'keyword' }
  | { readonly state: 'opted-in'; readonly at: number; readonly source: 'meta' | 'keyword' };

/** What a conversation with no recorded choice says. */
export const UNKNOWN_MARKETING: MarketingPreference = { state: 'unknown' };

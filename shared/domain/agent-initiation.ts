/**
 * An agent started (or restarted) a conversation by sending a WhatsApp template. When the customer
 * answers, the chat that starts carries the agent's id so the inbound flow can route it back.
 */
export interface AgentInitiation {
  /** Amazon Connect user id of the agent; absent when the guide could not tell who sent it. */
  readonly agentId?: string;
  readonly templateName: string;
  /** Epoch ms. */
  readonly at: number;
}

/**
 * How long a reply still "belongs" to the agent who sent the template. Seven days covers a customer
 * who answers after a weekend while staying inside the conversation TTL; after that a reply is a
 * new matter for the normal queue.
 */
export const AGENT_INITIATION_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** The initiating agent's id when the initiation is recent enough to route a reply to them. */
export function initiatingAgentFor(initiation: AgentInitiation | undefined, now: number): string | undefined {
  if (!initiation?.agentId) return undefined;
  return now - initiation.at <= AGENT_INITIATION_WINDOW_MS ? initiation.agentId : undefined;
}

/** The user id from an agent ARN (`…:instance/<id>/agent/<user id>`), or the value if it is already an id. */
export function agentIdFrom(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  const fromArn = /\/agent\/([0-9a-fA-F-]{36})$/.exec(trimmed);
  if (fromArn) return fromArn[1];
  return /^[0-9a-fA-F-]{36}$/.test(trimmed) ? trimmed : undefined;
}

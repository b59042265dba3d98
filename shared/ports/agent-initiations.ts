import type { AgentInitiation } from '../domain/agent-initiation.js';
import type { ConversationKey } from '../domain/conversation.js';

/** Where the template guide records who started a conversation, so the reply can route back. */
export interface AgentInitiations {
  /** Creates the conversation if the customer never wrote; touches nothing else, so it is safe while a chat runs. */
  recordAgentInitiation(key: ConversationKey, initiation: AgentInitiation): Promise<void>;
}

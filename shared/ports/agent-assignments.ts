import type { ConversationKey } from '../domain/conversation.js';
import type { AgentAssignment } from '../domain/customer-choices.js';

/** Where the outbound relay records the agent who last joined a conversation's chat. */
export interface AgentAssignments {
  /**
   * Records `assignment` as the conversation's last agent unless a later join is already recorded;
   * false when it was not (the event was older). Leaves the chat and its version alone.
   */
  recordLastAgent(key: ConversationKey, assignment: AgentAssignment): Promise<boolean>;
}

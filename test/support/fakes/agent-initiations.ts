import type { AgentInitiation } from '../../../shared/domain/agent-initiation.js';
import type { ConversationKey } from '../../../shared/domain/conversation.js';
import type { AgentInitiations } from '../../../shared/ports/agent-initiations.js';

/** Remembers each initiation recorded; `failWith` plays a table that cannot be written. */
export class InMemoryAgentInitiations implements AgentInitiations {
  readonly recorded: { key: ConversationKey; initiation: AgentInitiation }[] = [];
  failWith: Error | undefined;
  async recordAgentInitiation(key: ConversationKey, initiation: AgentInitiation) {
    if (this.failWith) throw this.failWith;
    this.recorded.push({ key, initiation });
  }
}

import type { AgentInitiation } from '../../domain/agent-initiation.js';
import type { ConversationKey } from '../../domain/conversation.js';
import type { AgentInitiations } from '../../ports/agent-initiations.js';
import { type Item, n, s } from '../dynamodb-attributes.js';
import { type ConversationTable, keys } from './conversation-table.js';

/** Agent-initiated templates, on the conversation item; creates it if the customer never wrote. */
export class DynamoDbAgentInitiations implements AgentInitiations {
  constructor(private readonly table: ConversationTable) {}

  async recordAgentInitiation(key: ConversationKey, initiation: AgentInitiation): Promise<void> {
    const values: Item = {
      ':business': s(key.businessPhoneNumberId),
      ':customer': s(key.customerId),
      ':template': s(initiation.templateName),
      ':at': n(initiation.at),
      ':now': n(this.table.now()),
      ':expiresAt': n(this.table.conversationExpiry()),
    };
    const sets = [
      'businessPhoneNumberId = if_not_exists(businessPhoneNumberId, :business)',
      'customerId = if_not_exists(customerId, :customer)',
      'initiatedTemplate = :template',
      'initiatedAt = :at',
      'updatedAt = :now',
      'expiresAt = :expiresAt',
    ];
    if (initiation.agentId) {
      sets.push('initiatedByAgentId = :agent');
      values[':agent'] = s(initiation.agentId);
    }
    // An unknown sender must not leave an earlier agent's id in place to be routed to.
    const remove = initiation.agentId ? '' : ' REMOVE initiatedByAgentId';
    await this.table.update(keys.conversation(key), { update: `SET ${sets.join(', ')}${remove}`, values });
  }
}

import type { ConversationKey } from '../../domain/conversation.js';
import type { AgentAssignment } from '../../domain/customer-choices.js';
import type { AgentAssignments } from '../../ports/agent-assignments.js';
import { n, s } from '../dynamodb-attributes.js';
import { type ConversationTable, keys } from './conversation-table.js';

/**
 * The conversation's last agent, on the conversation item: one UpdateItem, not conditional on
 * `chatVersion` (a join must not wait for, nor disturb, a chat transition), but only forward in
 * time, so a late or redelivered join from an older chat never replaces a newer agent.
 */
export class DynamoDbAgentAssignments implements AgentAssignments {
  constructor(private readonly table: ConversationTable) {}

  recordLastAgent(key: ConversationKey, assignment: AgentAssignment): Promise<boolean> {
    return this.table.update(keys.conversation(key), {
      update: 'SET lastAgentId = :agent, lastAgentContactId = :contact, lastAgentAt = :at',
      // attribute_exists(pk): the conversation was found through its contact; never create a stub.
      condition: 'attribute_exists(pk) AND (attribute_not_exists(lastAgentAt) OR lastAgentAt <= :at)',
      values: {
        ':agent': s(assignment.agentId),
        ':contact': s(assignment.contactId),
        ':at': n(assignment.at),
      },
    });
  }
}

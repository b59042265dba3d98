import { agentIdFrom } from '../domain/agent-initiation.js';
import { type Conversation, conversationKeyString } from '../domain/conversation.js';
import type { StreamingItem } from '../domain/streaming-item.js';
import { hashForLogs } from '../domain/tokens.js';
import type { AgentAssignments } from '../ports/agent-assignments.js';
import type { ConnectContacts } from '../ports/connect-contacts.js';
import type { Telemetry } from '../ports/telemetry.js';

export interface RecordLastAgentDependencies {
  readonly contacts: ConnectContacts;
  readonly assignments: AgentAssignments;
  readonly telemetry: Telemetry;
  readonly now: () => number;
}

export type LastAgentOutcome = 'recorded' | 'older' | 'not-recorded';

/**
 * Records the agent who joined a conversation's chat, so the customer's next chat can be offered
 * to them first (preferredAgentId) and a callback can find them (issue 12).
 *
 * Primary course: an AGENT `participant.joined` item that is not older than the recorded last
 * agent → DescribeContact on the contact the agent joined (`ContactId`: after a transfer, not the
 * chat's first contact) → its `AgentInfo.Id`, "the identifier of the agent who accepted the
 * contact" [bc-connect Contact.AgentInfo] → written forward-only beside the chat.
 *
 * Why DescribeContact: a streamed item names its sender only by `ParticipantId`, "the ID of the
 * sender in the session" [bc-participant Item], and CreateParticipant calls a participant id the
 * id "for a chat participant" [bc-connect]. Connect does not document it as the agent's user id,
 * which UpdateContactTargetQueue's AgentId needs, so the relay never routes on it.
 *
 * Best effort: a chat item is never held for it. When Connect names no agent, or cannot be asked,
 * nothing is recorded; it is logged and counted (LastAgentNotRecorded, by reason), and the
 * customer's next chat is routed as a new customer's would be.
 */
export class RecordLastAgent {
  constructor(private readonly deps: RecordLastAgentDependencies) {}

  async execute(conversation: Conversation, item: StreamingItem): Promise<LastAgentOutcome> {
    const { telemetry } = this.deps;
    // The event's own time orders joins; the relay's clock only stands in when Connect gave none.
    const at = item.absoluteTime > 0 ? item.absoluteTime : this.deps.now();
    if (conversation.lastAgent && conversation.lastAgent.at > at) {
      telemetry.count('LastAgentNotRecorded', { Reason: 'OlderJoin' });
      return 'older';
    }
    let agentId: string | undefined;
    try {
      agentId = agentIdFrom((await this.deps.contacts.describe(item.contactId))?.agentId);
    } catch (error) {
      return this.notRecorded(conversation, item, 'DescribeContactFailed', error);
    }
    if (!agentId) return this.notRecorded(conversation, item, 'NoAgentOnContact');
    const recorded = await this.deps.assignments.recordLastAgent(conversation.key, {
      agentId,
      contactId: item.contactId,
      at,
    });
    telemetry.count(recorded ? 'LastAgentRecorded' : 'LastAgentNotRecorded', {
      ...(recorded ? {} : { Reason: 'OlderJoin' }),
    });
    return recorded ? 'recorded' : 'older';
  }

  private notRecorded(
    conversation: Conversation,
    item: StreamingItem,
    reason: 'DescribeContactFailed' | 'NoAgentOnContact',
    error?: unknown,
  ): LastAgentOutcome {
    this.deps.telemetry.count('LastAgentNotRecorded', { Reason: reason });
    this.deps.telemetry.warn(
      'Agent joined, but who it was is unknown; the next chat has no preferred agent',
      {
        reason,
        contactId: item.contactId,
        initialContactId: item.initialContactId,
        conversation: hashForLogs(conversationKeyString(conversation.key)),
        ...(error ? { error: error instanceof Error ? error.message : String(error) } : {}),
      },
    );
    return 'not-recorded';
  }
}

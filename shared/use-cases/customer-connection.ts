import { type Conversation, connectionIsFresh } from '../domain/conversation.js';
import { ChatEndedError } from '../domain/errors.js';
import { ConnectionRejectedError, type ParticipantService } from '../ports/chat-service.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import type { Telemetry } from '../ports/telemetry.js';

/**
 * Acts in a chat as the customer participant. The connection token lives about a day, so it is
 * refreshed from the participant token when it is close to expiry, or when Connect rejects it.
 * Only when the participant token itself is refused is the chat over (ChatEndedError): an
 * expired token is never mistaken for an ended chat.
 */
export class CustomerConnection {
  constructor(
    private readonly deps: {
      readonly chat: ParticipantService;
      readonly conversations: ConversationStore;
      readonly telemetry: Telemetry;
      readonly now: () => number;
      readonly refreshMarginMs: number;
    },
  ) {}

  /** Runs `action` with a usable connection token, refreshing once if Connect rejects it. */
  async run<T>(conversation: Conversation, action: (connectionToken: string) => Promise<T>): Promise<T> {
    let token = conversation.connection?.connectionToken;
    if (!token || !connectionIsFresh(conversation.connection, this.deps.now(), this.deps.refreshMarginMs)) {
      token = await this.refresh(conversation);
    }
    try {
      return await action(token);
    } catch (error) {
      if (!(error instanceof ConnectionRejectedError)) throw error;
      return action(await this.refresh(conversation));
    }
  }

  private async refresh(conversation: Conversation): Promise<string> {
    const contactId = conversation.contactId ?? '';
    if (!conversation.participantToken) throw new ChatEndedError(contactId);
    let connection: { connectionToken: string; expiresAt: number };
    try {
      connection = await this.deps.chat.connectParticipant(conversation.participantToken);
    } catch (error) {
      if (error instanceof ConnectionRejectedError) throw new ChatEndedError(contactId, { cause: error });
      throw error;
    }
    await this.deps.conversations.updateConnection(conversation.key, contactId, connection);
    this.deps.telemetry.count('ConnectionRefreshed');
    return connection.connectionToken;
  }
}

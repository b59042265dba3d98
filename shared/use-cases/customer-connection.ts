import {
  type Conversation,
  type ConversationIn,
  connectionIsFresh,
  currentContactId,
} from '../domain/conversation.js';
import { ChatEndedError } from '../domain/errors.js';
import { ConnectionRejectedError, type ParticipantService } from '../ports/chat-service.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import type { Telemetry } from '../ports/telemetry.js';

/** One chat as the customer participant, with the connection token that last worked. */
export interface ChatSession {
  readonly contactId: string;
  /** The connection token last known to work. */
  token(): string;
  /** A fresh connection token; ChatEndedError when Connect refuses the participant. */
  refresh(): Promise<string>;
  /** Runs `action` with a usable token (see CustomerConnection). */
  run<T>(action: (connectionToken: string) => Promise<T>): Promise<T>;
}

/** How many times one call is refused, each time with a fresh connection, before the chat counts as ended. */
const REFUSALS_BEFORE_ENDED = 3;

/** How long a token another caller here just obtained is tried before making a new connection. */
const SHARED_REFRESH_MS = 30_000;

/**
 * Every participant call the relay makes goes through here. The connection token lives about a
 * day, so it is refreshed from the participant token when close to expiry, or when Connect
 * rejects it (AccessDenied). If the participant token itself is refused, the chat is over
 * (ChatEndedError). Whether Connect lets a participant connect to an ended chat is undocumented
 * (docs/reliability.md, UNCONFIRMED): if it does, the call keeps being refused on fresh
 * connections, and the third refusal in a row counts as an ended chat. Not the second: a new
 * connection may replace the token another invocation just obtained, so one refusal after a
 * refresh can be that race. Within a container, a caller refused with an older token first tries
 * the token another caller obtained moments ago, instead of replacing it.
 */
export class CustomerConnection {
  /** The newest token this container obtained per contact, and when. */
  private readonly latest = new Map<string, { readonly token: string; readonly at: number }>();

  constructor(
    private readonly deps: {
      readonly chat: Pick<ParticipantService, 'connectParticipant'>;
      readonly conversations: Pick<ConversationStore, 'updateConnection'>;
      readonly telemetry: Telemetry;
      readonly now: () => number;
      readonly refreshMarginMs: number;
    },
  ) {}

  /** Runs `action` in the conversation's chat; ChatEndedError when it has none running. */
  run<T>(conversation: Conversation, action: (connectionToken: string) => Promise<T>): Promise<T> {
    if (conversation.chat.state !== 'active') {
      return Promise.reject(new ChatEndedError(currentContactId(conversation.chat) ?? 'none'));
    }
    return this.session({ ...conversation, chat: conversation.chat }).run(action);
  }

  /** A session on an active chat, for callers that make several calls (a message in parts, a file). */
  session(conversation: ConversationIn<'active'>): ChatSession {
    const { chat } = conversation;
    let token = chat.connection.connectionToken;
    let stale = !connectionIsFresh(chat.connection, this.deps.now(), this.deps.refreshMarginMs);
    const refresh = async (): Promise<string> => {
      token = await this.renew(conversation, token);
      stale = false;
      return token;
    };
    return {
      contactId: chat.contactId,
      token: () => token,
      refresh,
      async run<T>(action: (connectionToken: string) => Promise<T>): Promise<T> {
        if (stale) await refresh();
        for (let refusals = 1; ; refusals++) {
          try {
            return await action(token);
          } catch (error) {
            if (!(error instanceof ConnectionRejectedError)) throw error;
            if (refusals >= REFUSALS_BEFORE_ENDED) throw new ChatEndedError(chat.contactId, { cause: error });
          }
          // An expired token and an ended chat look alike; a new connection tells them apart.
          await refresh();
        }
      },
    };
  }

  /**
   * A token newer than `refused`: one another caller here obtained moments ago, or a new
   * connection. Only settled tokens are shared: waiting on another caller's refresh could mean
   * waiting out its in-place retries.
   */
  private async renew(conversation: ConversationIn<'active'>, refused: string): Promise<string> {
    const { contactId } = conversation.chat;
    const known = this.latest.get(contactId);
    if (known && known.token !== refused && this.deps.now() - known.at < SHARED_REFRESH_MS)
      return known.token;
    const token = await this.connect(conversation);
    this.latest.delete(contactId);
    this.latest.set(contactId, { token, at: this.deps.now() });
    // Map keeps insertion order: the first key is the oldest.
    for (const oldest of this.latest.keys()) {
      if (this.latest.size <= 1_000) break;
      this.latest.delete(oldest);
    }
    return token;
  }

  private async connect(conversation: ConversationIn<'active'>): Promise<string> {
    const { chat } = conversation;
    let connection: { connectionToken: string; expiresAt: number };
    try {
      connection = await this.deps.chat.connectParticipant(chat.participantToken);
    } catch (error) {
      if (error instanceof ConnectionRejectedError)
        throw new ChatEndedError(chat.contactId, { cause: error });
      throw error;
    }
    await this.deps.conversations.updateConnection(conversation.key, chat.contactId, connection);
    this.deps.telemetry.count('ConnectionRefreshed');
    return connection.connectionToken;
  }
}

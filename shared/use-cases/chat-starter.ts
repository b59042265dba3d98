import { historyNotAttachedNotice } from '../domain/agent-notices.js';
import {
  activated,
  contactCreated,
  decideChatStart,
  type StartDraft,
  type StartLimits,
} from '../domain/chat-lifecycle.js';
import {
  type Conversation,
  type ConversationIn,
  type ConversationKey,
  conversationKeyString,
  type EndedChat,
  newConversation,
  type PendingChatStart,
} from '../domain/conversation.js';
import { ChatEndedError, ConversationBusyError, PermanentDeliveryError } from '../domain/errors.js';
import { hashForLogs, idempotencyToken } from '../domain/tokens.js';
import { type ChatService, ConnectionRejectedError } from '../ports/chat-service.js';
import type {
  ContactDirectory,
  ConversationStore,
  CustomerActivity,
  CustomerActivityLog,
} from '../ports/conversation-store.js';
import type { Telemetry } from '../ports/telemetry.js';
import { recordChatEnded } from './record-chat-ended.js';
import { ContactStarter, saveOrBusy } from './start-contact.js';

/** New chats that may end before the customer joins them, within one message, before it is dead-lettered. */
const MAX_CHATS_ENDED_AT_START = 2;

export interface ChatStarterSettings {
  readonly limits: StartLimits;
  /** How long a message waits for another invocation's chat start before going back to the queue. */
  readonly waitForChatMs: number;
  readonly pollIntervalMs: number;
  /** Sent as ChatDurationInMinutes. */
  readonly chatDurationMinutes: number;
  /**
   * How long Connect's refusals to rehydrate an ended chat are retried before the chat starts
   * without its history. Connect asks callers to wait 30–60 s after a chat ends (admin guide,
   * "Enable persistent chat").
   */
  readonly rehydrationPatienceMs: number;
}

export interface ChatStarterDependencies {
  readonly conversations: ConversationStore;
  readonly contacts: Pick<ContactDirectory, 'recordContact'>;
  readonly activity: Pick<CustomerActivityLog, 'recordCustomerActivity'>;
  readonly chat: ChatService;
  readonly telemetry: Telemetry;
  readonly settings: ChatStarterSettings;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Epoch ms by which in-invocation waiting must stop. */
  readonly deadline: () => number;
}

/** What the message that needs the chat brings to a start. */
export interface ChatNeed {
  readonly key: ConversationKey;
  readonly messageId: string;
  /** The customer's activity, stamped as soon as a start is claimed (the flow talks before the chat is up). */
  readonly activity: CustomerActivity;
  readonly draft: (source: EndedChat | undefined) => StartDraft;
  readonly config: () => Pick<PendingChatStart, 'contactFlowId' | 'attributes'>;
}

export interface RunningChat {
  readonly conversation: ConversationIn<'active'>;
  /** The start this invocation completed, if it completed one (its starter's text is in as InitialMessage). */
  readonly completed?: PendingChatStart;
}

/**
 * Gets a customer a running chat: waits for another invocation's start, claims and completes a
 * start (StartChatContact → contact lookup → StartContactStreaming → CreateParticipantConnection),
 * takes over a stalled one, rehydrates an ended chat (persistent chat) with patience, and gives a
 * refused start back so the customer is never wedged.
 *
 * Primary course: decide (chat-lifecycle), write the claim conditionally on the version read,
 * stamp the customer's activity, complete the start. Every step is idempotent (ClientTokens, the
 * same contact), so a takeover repeats it safely.
 */
export class ChatStarter {
  private readonly contacts: ContactStarter;

  constructor(private readonly deps: ChatStarterDependencies) {
    this.contacts = new ContactStarter(deps);
  }

  async ensureChat(need: ChatNeed, observed: Conversation | undefined): Promise<RunningChat> {
    const { conversations, settings, now, sleep, telemetry } = this.deps;
    const waitUntil = now() + settings.waitForChatMs;
    let current = observed ?? newConversation(need.key);
    let waited = false;
    let endedAtStart = 0;
    for (;;) {
      const decision = decideChatStart(current, {
        owner: need.messageId,
        now: now(),
        limits: settings.limits,
        draft: need.draft,
        config: need.config,
      });
      if (decision.kind === 'running') return { conversation: decision.conversation };
      if (decision.kind === 'wait') {
        if (now() >= waitUntil)
          throw new ConversationBusyError('Another invocation is still starting this chat');
        if (!waited) telemetry.count('ChatStartWaits');
        waited = true;
        await sleep(settings.pollIntervalMs);
        current = (await conversations.refresh(need.key)) ?? newConversation(need.key);
        continue;
      }
      if (!(await conversations.save(decision.next, current.version))) {
        current = (await conversations.refresh(need.key)) ?? newConversation(need.key);
        continue;
      }
      if (decision.takeover) telemetry.count('ChatStartTakeovers');
      try {
        const conversation = await this.complete(decision.next, need);
        return { conversation, completed: decision.next.chat.start };
      } catch (error) {
        if (!(error instanceof ChatEndedError)) throw error;
        // A re-issued start returned a contact that has already ended: rehydrate from it, once.
        // A second chat that ends before the customer can join means the flow ends every chat
        // at once (say, out of hours): starting more would only fill Connect with contacts.
        telemetry.count('ChatEndedDetected');
        current = await this.recordEnded(need.key, error.contactId);
        if (++endedAtStart >= MAX_CHATS_ENDED_AT_START) {
          throw new PermanentDeliveryError(
            'Every new chat ended before the customer could join it; check the inbound flow',
            'ChatEndedAtStart',
            { cause: error },
          );
        }
      }
    }
  }

  /** Marks the chat ended (if it still is that contact) and returns the conversation as it now is. */
  recordEnded(key: ConversationKey, contactId: string): Promise<Conversation> {
    return recordChatEnded(this.deps.conversations, key, contactId, this.deps.now());
  }

  private async complete(
    claimed: ConversationIn<'starting' | 'created'>,
    need: ChatNeed,
  ): Promise<ConversationIn<'active'>> {
    const { chat, contacts, telemetry } = this.deps;
    // The flow greets the customer as soon as streaming starts: its messages must find the
    // 24-hour window open, so the customer's activity is stamped before then, beside the start.
    const stamped = this.deps.activity.recordCustomerActivity(need.key, need.activity);
    stamped.catch(() => undefined);
    let created: ConversationIn<'created'>;
    let lookup: Promise<void>;
    try {
      if (claimed.chat.state === 'starting') {
        const { conversation, contact } = await this.contacts.start({ ...claimed, chat: claimed.chat });
        created = contactCreated(conversation, contact);
        // The lookup beside the contact's record, both before streaming: once streaming starts,
        // an agent's reply may need the lookup at once. A takeover of a created chat writes it again.
        lookup = contacts.recordContact(contact.contactId, created.key);
        lookup.catch(() => undefined);
        await saveOrBusy(this.deps.conversations, created, conversation.version);
        telemetry.count('ChatsStarted');
      } else {
        created = { ...claimed, chat: claimed.chat };
        lookup = contacts.recordContact(created.chat.contactId, created.key);
      }
      await lookup;
    } finally {
      await stamped.catch(() => undefined);
    }
    await stamped;
    const { contactId, participantToken } = created.chat;
    await chat.startStreaming({ contactId, clientToken: idempotencyToken('start-streaming', contactId) });
    let connection: { connectionToken: string; expiresAt: number };
    try {
      connection = await chat.connectParticipant(participantToken);
    } catch (error) {
      if (error instanceof ConnectionRejectedError) throw new ChatEndedError(contactId, { cause: error });
      throw error;
    }
    const active = activated(created, connection);
    await saveOrBusy(this.deps.conversations, active, created.version);
    telemetry.info('Chat started', {
      contactId,
      conversation: hashForLogs(conversationKeyString(active.key)),
      persistent: created.chat.start.persistentSource !== undefined && !active.chat.historyNotAttached,
    });
    if (active.chat.historyNotAttached) {
      await chat.sendMessage({
        connectionToken: connection.connectionToken,
        contactId,
        content: historyNotAttachedNotice(),
        clientToken: idempotencyToken('history-not-attached', contactId),
      });
    }
    return active;
  }
}

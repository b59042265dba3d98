import { startAbandoned, startRevised } from '../domain/chat-lifecycle.js';
import {
  type Conversation,
  type ConversationIn,
  conversationKeyString,
  type PendingChatStart,
} from '../domain/conversation.js';
import { ConversationBusyError, PermanentDeliveryError, RetryableError } from '../domain/errors.js';
import { hashForLogs, idempotencyToken } from '../domain/tokens.js';
import {
  type ChatService,
  ChatStartRefusedError,
  PersistentChatRejectedError,
  type StartedChat,
} from '../ports/chat-service.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import type { Telemetry } from '../ports/telemetry.js';

export interface ContactStarterDependencies {
  readonly conversations: Pick<ConversationStore, 'save'>;
  readonly chat: Pick<ChatService, 'startChat'>;
  readonly telemetry: Telemetry;
  readonly settings: { readonly chatDurationMinutes: number; readonly rehydrationPatienceMs: number };
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Epoch ms by which in-invocation waiting must stop. */
  readonly deadline: () => number;
}

/** Saves a chat transition; another invocation having moved the conversation on means "busy, retry". */
export async function saveOrBusy(
  conversations: Pick<ConversationStore, 'save'>,
  next: Conversation,
  observedVersion: number,
): Promise<void> {
  if (!(await conversations.save(next, observedVersion))) {
    throw new ConversationBusyError('Another invocation took over this chat start');
  }
}

/**
 * The StartChatContact step of a chat start (ChatStarter runs the rest): persistent-chat patience
 * and the start given back when Connect refuses it.
 */
export class ContactStarter {
  constructor(private readonly deps: ContactStarterDependencies) {}

  /**
   * StartChatContact for the pending start. A refusal to rehydrate is retried (in this invocation
   * while time allows, then through redelivery) for the patience period, and only then does the
   * chat start fresh, telling the agent. A 4xx gives the start back and dead-letters the message.
   */
  async start(
    claimed: ConversationIn<'starting'>,
  ): Promise<{ conversation: ConversationIn<'starting'>; contact: StartedChat }> {
    const { chat, settings, telemetry, now, sleep } = this.deps;
    let conversation = claimed;
    for (let attempt = 0; ; attempt++) {
      const { start } = conversation.chat;
      const rehydrate = start.persistentSource !== undefined && !start.historyNotAttached;
      try {
        const contact = await chat.startChat({
          contactFlowId: start.contactFlowId,
          displayName: start.displayName,
          attributes: start.attributes,
          initialMessage: start.initialMessage,
          clientToken: start.historyNotAttached
            ? idempotencyToken(start.clientToken, 'fresh')
            : start.clientToken,
          chatDurationMinutes: settings.chatDurationMinutes,
          ...(rehydrate && start.persistentSource
            ? { persistentSourceContactId: start.persistentSource.contactId }
            : {}),
        });
        return { conversation, contact };
      } catch (error) {
        if (error instanceof ChatStartRefusedError) await this.giveBack(conversation, error);
        if (!(error instanceof PersistentChatRejectedError) || !rehydrate) throw error;
      }
      const refusedAt = start.rehydrationRefusedAt ?? now();
      if (now() - refusedAt >= settings.rehydrationPatienceMs) {
        telemetry.count('PersistentChatFallbacks');
        telemetry.warn('Connect kept refusing to continue the ended chat; starting without its history', {
          sourceContactId: start.persistentSource?.contactId,
        });
        conversation = await this.revise(conversation, { ...start, historyNotAttached: true });
        continue;
      }
      if (start.rehydrationRefusedAt === undefined) {
        telemetry.count('PersistentChatRetries');
        conversation = await this.revise(conversation, { ...start, rehydrationRefusedAt: refusedAt });
      }
      const delay = Math.min(8_000, 1_000 * 2 ** attempt);
      if (now() + delay > this.deps.deadline()) {
        throw new RetryableError(
          'Connect is not ready to continue the ended chat yet',
          'PersistentChatNotReady',
        );
      }
      await sleep(delay);
    }
  }

  private async giveBack(
    conversation: ConversationIn<'starting'>,
    error: ChatStartRefusedError,
  ): Promise<never> {
    const { telemetry } = this.deps;
    telemetry.count('ChatStartsRefused', { Reason: error.reason });
    telemetry.error('Connect refused to start the chat; the start is given back', {
      conversation: hashForLogs(conversationKeyString(conversation.key)),
      contactFlowId: conversation.chat.start.contactFlowId,
      reason: error.reason,
    });
    // Nothing took effect, so the next message (or a redrive) derives a new start from today's config.
    await this.deps.conversations.save(startAbandoned(conversation), conversation.version).catch(() => false);
    throw new PermanentDeliveryError(
      `Connect refused to start the chat (${error.reason}); check the inbound flow and the relay's role`,
      `ChatStartRefused:${error.reason}`,
      { cause: error },
    );
  }

  private async revise(conversation: ConversationIn<'starting'>, start: PendingChatStart) {
    const next = startRevised(conversation, start);
    await saveOrBusy(this.deps.conversations, next, conversation.version);
    return next;
  }
}

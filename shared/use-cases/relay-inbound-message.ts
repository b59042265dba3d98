import { initiatingAgentFor } from '../domain/agent-initiation.js';
import { renderForAgent } from '../domain/agent-rendering.js';
import type { MediaContent } from '../domain/connect-attachments.js';
import {
  type Conversation,
  type ConversationKey,
  connectionIsFresh,
  conversationKeyFor,
  conversationKeyString,
  type PendingChatStart,
  toE164,
} from '../domain/conversation.js';
import { ChatEndedError, ConversationBusyError, RetryableError } from '../domain/errors.js';
import type { InboundMessage } from '../domain/inbound-message.js';
import { maskPhoneNumber } from '../domain/masking.js';
import { splitText } from '../domain/text-splitting.js';
import { hashForLogs, idempotencyToken } from '../domain/tokens.js';
import {
  type ChatService,
  ConnectionRejectedError,
  PersistentChatRejectedError,
} from '../ports/chat-service.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import type { RelayLedger } from '../ports/relay-ledger.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { AttachmentOutcome, CustomerChat, MediaAttacher } from './attach-customer-media.js';

/**
 * How recent a first delivery must be for Connect's ClientTokens alone to guard it against
 * duplicates. Duplicates from SNS or SQS arrive within seconds; Meta's webhook retries (up to
 * 7 days) arrive as old messages and always meet the ledger.
 */
const TRUST_CLIENT_TOKENS_WITHIN_MS = 5 * 60_000;

/** Connect's participant SendMessage limit for text/plain. */
export const CONNECT_MAX_MESSAGE_LENGTH = 1024;

export interface RelayInboundSettings {
  readonly chatDurationMinutes: number;
  /** Contact flow per business phone number id (`phone-number-id-…`). */
  readonly inboundFlowFor: (businessPhoneNumberId: string) => string | undefined;
  /** How long a chat-start claim is honoured before another invocation may take it over. */
  readonly startLeaseMs: number;
  /** How long a message waits for another invocation's chat start before going back to the queue. */
  readonly waitForChatMs: number;
  readonly pollIntervalMs: number;
  /** Refresh the connection token when it expires within this margin. */
  readonly connectionRefreshMarginMs: number;
}

export interface RelayInboundDependencies {
  readonly conversations: ConversationStore;
  readonly ledger: RelayLedger;
  readonly chat: ChatService;
  /** Turns a customer's file into a Connect attachment once its text line is in the chat. */
  readonly attachMedia: MediaAttacher;
  readonly telemetry: Telemetry;
  readonly settings: RelayInboundSettings;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export type RelayOutcome = 'relayed' | 'duplicate';

/**
 * Relays one customer message into the customer's Amazon Connect chat.
 *
 * Primary course:
 * 1. Skip the message if the ledger says it was already relayed.
 * 2. If the conversation has an active chat, send the text (in parts of ≤1,024 characters).
 * 3. Otherwise claim the chat start with a conditional write. The winner starts the chat with the
 *    text as InitialMessage, starts streaming, connects the customer participant, and activates
 *    the conversation. Everyone else waits a bounded time for that chat, then sends into it.
 * 4. For a photo, video, audio or document: attach the file itself after its text line
 *    (AttachCustomerMedia), so the agent reads the caption first and then gets the file.
 * 5. Record the relay (WhatsApp id → Connect ids) and the customer's activity.
 *
 * Alternate courses: the chat has ended (start a persistent chat from it), the connection token
 * has expired (refresh it from the participant token), the starter died mid-start (take over its
 * expired lease and re-issue the identical, idempotent start), the chat ended between a media
 * message's text and its file (deliver both into the next chat). A retry after the text went in
 * but the file failed sends the text again with the same ClientTokens, which Connect
 * deduplicates, and only then attaches the file; the ledger is written last, so nothing is
 * marked relayed before all of it is in.
 */
export class RelayInboundMessage {
  constructor(private readonly deps: RelayInboundDependencies) {}

  async execute(
    message: InboundMessage,
    receipt: { firstDelivery: boolean } = { firstDelivery: false },
  ): Promise<RelayOutcome> {
    const { conversations, ledger, telemetry } = this.deps;
    const key = conversationKeyFor(message.business, message.customer);
    const logContext = {
      whatsAppMessageId: message.id,
      conversation: hashForLogs(conversationKeyString(key)),
      messageType: message.type,
    };

    const { conversation, alreadyRelayed } = await this.lookUp(key, message, receipt.firstDelivery);
    if (alreadyRelayed && alreadyRelayed.complete !== false) {
      telemetry.count('DuplicatesSkipped');
      telemetry.info('Message already relayed; skipping', {
        ...logContext,
        contactId: alreadyRelayed.contactId,
      });
      // The ledger and the customer's activity are written together; if only the ledger landed,
      // this redelivery is the last chance to open the 24-hour window for the agent's reply.
      // The write only moves forward, so a late duplicate of an old message changes nothing.
      await conversations.recordCustomerActivity(key, {
        messageId: message.id,
        at: message.timestamp * 1000,
        ...customerDetails(message),
      });
      return 'duplicate';
    }

    if (alreadyRelayed) telemetry.info('Resuming a message that was only partly relayed', logContext);

    const parts = splitText(renderForAgent(message), CONNECT_MAX_MESSAGE_LENGTH);
    const activity = { messageId: message.id, at: message.timestamp * 1000, ...customerDetails(message) };
    // Into a running chat, the activity write goes alongside SendMessage, not after it. A chat that
    // is still to be started has no item to update yet, so there it waits for the delivery.
    const activityAlongside =
      conversation?.state === 'active' ? conversations.recordCustomerActivity(key, activity) : undefined;
    // Its outcome is awaited below; this only stops an early failure from counting as unhandled.
    activityAlongside?.catch(() => undefined);
    let delivery: Delivery;
    try {
      delivery = await this.deliver(key, conversation, message, parts);
    } finally {
      // Settle the parallel write before leaving, whatever happened to the delivery.
      await activityAlongside?.catch(() => undefined);
    }
    let attachment: AttachmentOutcome | undefined;
    if (isMedia(message)) ({ delivery, attachment } = await this.attachMedia(key, message, parts, delivery));

    await Promise.all([
      activityAlongside ?? conversations.recordCustomerActivity(key, activity),
      ledger.recordInbound({
        whatsAppMessageId: message.id,
        contactId: delivery.contactId,
        connectMessageIds: delivery.connectMessageIds,
        conversationKey: conversationKeyString(key),
        relayedAt: this.deps.now(),
        ...(attachment?.status === 'attached' ? { attachmentId: attachment.attachmentId } : {}),
      }),
    ]);
    telemetry.count('MessagesRelayed', { MessageType: message.type });
    telemetry.info('Message relayed to Connect', {
      ...logContext,
      contactId: delivery.contactId,
      parts: parts.length,
      startedChat: delivery.startedChat,
      ...(attachment ? { attachment: attachment.status } : {}),
    });
    return 'relayed';
  }

  /**
   * The conversation, and whether this message was already relayed. The ledger read is skipped
   * only where it cannot matter: the first delivery of a fresh message into a running chat, where
   * a duplicate (an SNS or SQS double delivery) carries the same SendMessage ClientTokens and
   * Connect drops it. Redeliveries, old messages, and anything that would start a chat are checked.
   */
  private async lookUp(key: ConversationKey, message: InboundMessage, firstDelivery: boolean) {
    const { conversations, ledger, now } = this.deps;
    const fresh = now() - message.timestamp * 1000 < TRUST_CLIENT_TOKENS_WITHIN_MS;
    const cached = conversations.getCached(key);
    if (firstDelivery && fresh && cached?.state === 'active')
      return { conversation: cached, alreadyRelayed: undefined };
    const [conversation, alreadyRelayed] = await Promise.all([
      conversations.get(key),
      ledger.findInbound(message.id),
    ]);
    return { conversation, alreadyRelayed };
  }

  /**
   * Attaches the file after its text. If the chat ended in between, the file belongs with its
   * text, so both go into the customer's next chat (a persistent chat with the history).
   */
  private async attachMedia(
    key: ConversationKey,
    message: InboundMessage & { content: MediaContent },
    parts: readonly string[],
    delivered: Delivery,
  ): Promise<{ delivery: Delivery; attachment: AttachmentOutcome }> {
    const { conversations, telemetry } = this.deps;
    let delivery = delivered;
    for (let attempt = 1; ; attempt++) {
      try {
        const attachment = await this.deps.attachMedia.attach(message, this.customerChat(key, delivery));
        return { delivery, attachment };
      } catch (error) {
        if (!(error instanceof ChatEndedError)) throw error;
        telemetry.count('ChatEndedDetected');
        await conversations.markEnded(key, error.contactId);
        // A chat that ends twice within one message is unusual enough to leave to a retry.
        if (attempt >= 2) throw new RetryableError('The chat ended again while attaching media', 'ChatEnded');
        delivery = await this.deliver(key, await conversations.get(key), message, parts);
      }
    }
  }

  /** The chat the text just went into, with the connection handling the attachment needs. */
  private customerChat(key: ConversationKey, delivery: Delivery): CustomerChat {
    let connectionToken = delivery.connectionToken;
    const refreshConnection = async () => {
      connectionToken = await this.refreshConnection(key, delivery.conversation);
      return connectionToken;
    };
    const send = (content: string, clientToken: string) =>
      this.deps.chat.sendMessage({ connectionToken, contactId: delivery.contactId, content, clientToken });
    return {
      contactId: delivery.contactId,
      connectionToken: () => connectionToken,
      refreshConnection,
      sendNote: async (content, clientToken) => {
        try {
          await send(content, clientToken);
        } catch (error) {
          if (!(error instanceof ConnectionRejectedError)) throw error;
          await refreshConnection();
          await send(content, clientToken);
        }
      },
    };
  }

  /** Loops over the conversation's states until the message is in a chat; bounded by the wait budget. */
  private async deliver(
    key: ConversationKey,
    observed: Conversation | undefined,
    message: InboundMessage,
    parts: readonly string[],
  ): Promise<Delivery> {
    const { conversations, settings, now, sleep, telemetry } = this.deps;
    const deadline = now() + settings.waitForChatMs;
    let current = observed;
    let waited = false;

    for (;;) {
      if (current?.state === 'active' && current.contactId) {
        try {
          // A redelivery of the message that opened this chat: its first part is already in.
          const from = current.initialMessageId === message.id ? 1 : 0;
          return await this.sendIntoChat(key, current, message.id, parts, from);
        } catch (error) {
          if (!(error instanceof ChatEndedError)) throw error;
          telemetry.count('ChatEndedDetected');
          await conversations.markEnded(key, error.contactId);
          current = await conversations.get(key);
          continue;
        }
      }

      const leaseHeldByOther =
        current?.state === 'starting' &&
        current.startLease !== undefined &&
        current.startLease.until > now() &&
        current.startLease.owner !== message.id;
      if (leaseHeldByOther) {
        if (now() >= deadline) {
          throw new ConversationBusyError('Another invocation is still starting this chat; will retry');
        }
        if (!waited) telemetry.count('ChatStartWaits');
        waited = true;
        await sleep(settings.pollIntervalMs);
        current = await conversations.get(key);
        continue;
      }

      // Absent, ended, or starting under an expired lease: try to own the start.
      const pendingStart =
        current?.state === 'starting' && current.pendingStart
          ? current.pendingStart
          : this.pendingStartFor(key, current, message, parts);
      const claimed = await conversations.claimChatStart(key, current, {
        owner: message.id,
        leaseUntil: now() + settings.startLeaseMs,
        pendingStart,
        customer: customerDetails(message),
        now: now(),
      });
      if (!claimed) {
        current = await conversations.get(key);
        continue;
      }
      const started = await this.completeChatStart(key, claimed, pendingStart);
      if (pendingStart.starterMessageId === message.id) {
        // Our first part went in as the InitialMessage; send whatever did not fit.
        const rest = await this.sendIntoChat(key, started, message.id, parts, 1);
        return { ...rest, startedChat: true };
      }
      // We finished someone else's start; our own message still has to go in. The starter's
      // first part is in (as InitialMessage), but its other parts or its file may not be: its
      // redelivery must resume, not be skipped.
      await this.deps.ledger.recordInbound({
        whatsAppMessageId: pendingStart.starterMessageId,
        contactId: started.contactId ?? '',
        connectMessageIds: [],
        conversationKey: conversationKeyString(key),
        relayedAt: now(),
        complete: false,
      });
      return { ...(await this.sendIntoChat(key, started, message.id, parts, 0)), startedChat: true };
    }
  }

  private pendingStartFor(
    key: ConversationKey,
    current: Conversation | undefined,
    message: InboundMessage,
    parts: readonly string[],
  ): PendingChatStart {
    const contactFlowId = this.deps.settings.inboundFlowFor(key.businessPhoneNumberId);
    if (!contactFlowId) throw new Error(`No inbound flow configured for ${key.businessPhoneNumberId}`);
    const phone = toE164(message.customer.waId);
    const persistentSource = current?.state === 'ended' ? current.contactId : undefined;
    // A reply to an agent's template goes back to that agent (flows/inbound-whatsapp.json).
    const initiatingAgentId = initiatingAgentFor(current?.initiatedBy, this.deps.now());
    return {
      // The token names this start attempt: same message, same ended contact → same contact.
      clientToken: idempotencyToken('start-chat', message.id, persistentSource ?? 'new'),
      starterMessageId: message.id,
      contactFlowId,
      displayName: message.customer.profileName?.trim() || maskPhoneNumber(phone ?? message.customer.id),
      attributes: {
        channel: 'WhatsApp',
        customerId: message.customer.id,
        ...(phone ? { customerPhoneNumber: phone } : {}),
        ...(message.customer.userId ? { customerWhatsAppUserId: message.customer.userId } : {}),
        businessPhoneNumberId: key.businessPhoneNumberId,
        ...(message.business.displayPhoneNumber
          ? {
              businessPhoneNumber:
                toE164(message.business.displayPhoneNumber) ?? message.business.displayPhoneNumber,
            }
          : {}),
        ...(message.customer.profileName ? { customerProfileName: message.customer.profileName } : {}),
        ...(initiatingAgentId ? { initiatingAgentId } : {}),
      },
      initialMessage: parts[0] ?? '',
      ...(persistentSource ? { persistentSourceContactId: persistentSource } : {}),
    };
  }

  /** Runs (or resumes) the three-step start. Every step is idempotent, so a takeover repeats it safely. */
  private async completeChatStart(
    key: ConversationKey,
    claimed: Conversation,
    pendingStart: PendingChatStart,
  ): Promise<Conversation> {
    const { chat, conversations, telemetry } = this.deps;
    let contactId = claimed.contactId;
    let participantToken = claimed.participantToken;
    if (!contactId || !participantToken) {
      const started = await this.startChat(pendingStart);
      contactId = started.contactId;
      participantToken = started.participantToken;
      telemetry.count('ChatsStarted');
      // Recording the contact and starting streaming are independent, and both idempotent.
      await Promise.all([
        conversations.recordContactCreated(key, started),
        chat.startStreaming({ contactId, clientToken: idempotencyToken('start-streaming', contactId) }),
      ]);
    } else {
      await chat.startStreaming({ contactId, clientToken: idempotencyToken('start-streaming', contactId) });
    }
    const connection = await chat.connectParticipant(participantToken);
    await conversations.activate(key, contactId, connection);
    telemetry.info('Chat started', {
      contactId,
      conversation: hashForLogs(conversationKeyString(key)),
      persistent: pendingStart.persistentSourceContactId !== undefined,
    });
    return { ...claimed, state: 'active', contactId, participantToken, connection };
  }

  private async startChat(pendingStart: PendingChatStart) {
    const request = {
      contactFlowId: pendingStart.contactFlowId,
      displayName: pendingStart.displayName,
      attributes: pendingStart.attributes,
      initialMessage: pendingStart.initialMessage,
      clientToken: pendingStart.clientToken,
      chatDurationMinutes: this.deps.settings.chatDurationMinutes,
    };
    if (!pendingStart.persistentSourceContactId) return this.deps.chat.startChat(request);
    try {
      return await this.deps.chat.startChat({
        ...request,
        persistentSourceContactId: pendingStart.persistentSourceContactId,
      });
    } catch (error) {
      if (!(error instanceof PersistentChatRejectedError)) throw error;
      // History is a nicety; the customer's message is not. Start a fresh chat instead.
      this.deps.telemetry.warn('Persistent chat refused; starting a fresh chat', {
        sourceContactId: pendingStart.persistentSourceContactId,
      });
      return this.deps.chat.startChat({
        ...request,
        clientToken: idempotencyToken(pendingStart.clientToken, 'fresh'),
      });
    }
  }

  /** Sends parts[from..] into the chat, refreshing the connection when it is stale or refused. */
  private async sendIntoChat(
    key: ConversationKey,
    conversation: Conversation,
    messageId: string,
    parts: readonly string[],
    from: number,
  ): Promise<Delivery> {
    const contactId = conversation.contactId as string;
    let connectionToken = conversation.connection?.connectionToken;
    if (
      !connectionIsFresh(
        conversation.connection,
        this.deps.now(),
        this.deps.settings.connectionRefreshMarginMs,
      )
    ) {
      connectionToken = await this.refreshConnection(key, conversation);
    }
    const connectMessageIds: string[] = [];
    for (let index = from; index < parts.length; index++) {
      const request = {
        contactId,
        content: parts[index] as string,
        clientToken: idempotencyToken('send-message', messageId, index),
      };
      try {
        connectMessageIds.push(
          (await this.deps.chat.sendMessage({ ...request, connectionToken: connectionToken as string }))
            .messageId,
        );
      } catch (error) {
        if (!(error instanceof ConnectionRejectedError)) throw error;
        // AccessDenied means an expired token or an ended chat; a fresh connection tells them apart.
        connectionToken = await this.refreshConnection(key, conversation);
        connectMessageIds.push((await this.deps.chat.sendMessage({ ...request, connectionToken })).messageId);
      }
    }
    return {
      contactId,
      connectMessageIds,
      startedChat: false,
      conversation,
      connectionToken: connectionToken as string,
    };
  }

  private async refreshConnection(key: ConversationKey, conversation: Conversation): Promise<string> {
    const contactId = conversation.contactId as string;
    if (!conversation.participantToken) throw new ChatEndedError(contactId);
    let connection: { connectionToken: string; expiresAt: number };
    try {
      connection = await this.deps.chat.connectParticipant(conversation.participantToken);
    } catch (error) {
      if (error instanceof ConnectionRejectedError) throw new ChatEndedError(contactId, { cause: error });
      throw error;
    }
    await this.deps.conversations.updateConnection(key, contactId, connection);
    this.deps.telemetry.count('ConnectionRefreshed');
    return connection.connectionToken;
  }
}

interface Delivery {
  readonly contactId: string;
  readonly connectMessageIds: readonly string[];
  readonly startedChat: boolean;
  /** The chat's conversation and the connection token that last worked, for the attachment. */
  readonly conversation: Conversation;
  readonly connectionToken: string;
}

function isMedia(message: InboundMessage): message is InboundMessage & { content: MediaContent } {
  return message.content.kind === 'media';
}

function customerDetails(message: InboundMessage) {
  const phoneNumber = toE164(message.customer.waId);
  return {
    ...(message.customer.profileName ? { profileName: message.customer.profileName } : {}),
    ...(phoneNumber ? { phoneNumber } : {}),
  };
}

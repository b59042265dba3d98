import { failedDeliveryNotice } from '../domain/agent-notices.js';
import { type Conversation, conversationKeyString, isIn } from '../domain/conversation.js';
import { ChatEndedError } from '../domain/errors.js';
import type { MessageStatus } from '../domain/inbound-message.js';
import { CONTENT_TYPES } from '../domain/streaming-item.js';
import { hashForLogs, idempotencyToken } from '../domain/tokens.js';
import { parseCallbackData } from '../domain/whatsapp-payloads.js';
import { type ParticipantService, ReceiptNotAcceptedError } from '../ports/chat-service.js';
import type { ContactDirectory, ConversationStore } from '../ports/conversation-store.js';
import type { CustomerKeys } from '../ports/customer-keys.js';
import type { OutboundLedger } from '../ports/outbound-ledger.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { CustomerConnection } from './customer-connection.js';

export type StatusOutcome = 'receipt' | 'notice' | 'unmatched' | 'ignored';

/**
 * Makes WhatsApp's delivery statuses visible to the agent.
 *
 * Primary course: a `delivered` or `read` status for a message the relay sent is matched to the
 * Connect message it came from, and becomes a Connect message.delivered / message.read event sent
 * as the customer, so the agent's Workspace shows the ticks.
 * Matching uses `biz_opaque_callback_data` (Meta echoes what we set on the send) and falls back to
 * the ledger's record of the EUM message id, because whether EUM's message id equals the wamid in
 * statuses is not documented.
 * A `failed` status posts a clear notice into the agent's chat and is counted by error code.
 */
export class RelayDeliveryStatus {
  constructor(
    private readonly deps: {
      readonly keys: CustomerKeys;
      readonly conversations: Pick<ConversationStore, 'get'> & Pick<ContactDirectory, 'findByContactId'>;
      readonly ledger: OutboundLedger;
      readonly chat: ParticipantService;
      readonly customerConnection: CustomerConnection;
      readonly telemetry: Telemetry;
    },
  ) {}

  async execute(status: MessageStatus): Promise<StatusOutcome> {
    const { telemetry } = this.deps;
    telemetry.count('StatusesReceived', { Status: status.status });
    if (status.status === 'sent') return 'ignored';

    const match = await this.match(status);
    if (status.status === 'failed') {
      const error = status.errors[0];
      telemetry.count('WhatsAppDeliveryFailures', { Code: String(error?.code ?? 'none') });
      const conversation = match?.conversation ?? (await this.conversationOfRecipient(status));
      // The ledger keeps the message's first words, keyed by EUM's message id, which may or may not
      // be the wamid in statuses (undocumented). The time is the agent's (from the callback data)
      // where known, as the agent sees it in the chat.
      const record = match?.record ?? (await this.deps.ledger.findSent(status.messageId));
      const message = { preview: record?.preview, sentAt: match?.sentAt ?? record?.sentAt };
      if (!isIn(conversation, 'active')) {
        telemetry.warn('WhatsApp delivery failed and no open chat can be told', {
          whatsAppMessageId: status.messageId,
          code: error?.code,
          ...(conversation ? { conversation: hashForLogs(conversationKeyString(conversation.key)) } : {}),
        });
        return 'unmatched';
      }
      const { contactId } = conversation.chat;
      const told = await this.inChat(conversation, (connectionToken) =>
        this.deps.chat.sendMessage({
          connectionToken,
          contactId,
          content: failedDeliveryNotice(error, message),
          clientToken: idempotencyToken('failed-status-notice', status.messageId),
        }),
      );
      if (!told) {
        telemetry.warn('WhatsApp delivery failed and the chat ended before the agent could be told', {
          whatsAppMessageId: status.messageId,
          code: error?.code,
          contactId,
          conversation: hashForLogs(conversationKeyString(conversation.key)),
        });
        return 'unmatched';
      }
      telemetry.count('AgentNoticesPosted');
      telemetry.warn('WhatsApp delivery failed; the agent was told in the chat', {
        whatsAppMessageId: status.messageId,
        code: error?.code,
        contactId,
        conversation: hashForLogs(conversationKeyString(conversation.key)),
      });
      return 'notice';
    }

    const contentType =
      status.status === 'delivered'
        ? CONTENT_TYPES.messageDelivered
        : status.status === 'read' || status.status === 'played'
          ? CONTENT_TYPES.messageRead
          : undefined;
    if (!contentType) return 'ignored';
    if (!match) {
      telemetry.count('ReceiptsUnmatched', { Direction: 'ToConnect' });
      return 'unmatched';
    }
    // Receipts only make sense in the chat the message was sent in.
    const { chat } = match.conversation;
    if (chat.state !== 'active' || chat.contactId !== match.initialContactId) {
      return 'ignored';
    }
    let delivered: boolean;
    try {
      delivered = await this.inChat(match.conversation, (connectionToken) =>
        this.deps.chat.sendEvent({
          connectionToken,
          contentType,
          content: JSON.stringify({ messageId: match.connectItemId }),
          clientToken: idempotencyToken('receipt', status.messageId, status.status),
        }),
      );
    } catch (error) {
      // Throttling, 5xx and token refreshes are retried. A receipt Connect refuses (a conference,
      // a barge-in, validation) would be refused again, and is cosmetic: dropped and counted.
      if (!(error instanceof ReceiptNotAcceptedError)) throw error;
      telemetry.count('ReceiptsDropped', { Reason: error.reason });
      telemetry.info('Connect did not accept the receipt; dropped', {
        whatsAppMessageId: status.messageId,
        contactId: match.initialContactId,
        reason: error.reason,
      });
      return 'ignored';
    }
    // The chat ended while the receipt was on its way: nobody is left to see it.
    if (!delivered) return 'ignored';
    telemetry.count('ReceiptsRelayed', { Status: status.status });
    return 'receipt';
  }

  private async match(status: MessageStatus) {
    const fromCallback = parseCallbackData(status.callbackData);
    const record = fromCallback ? undefined : await this.deps.ledger.findSent(status.messageId);
    const initialContactId = fromCallback?.initialContactId ?? record?.initialContactId;
    const connectItemId = fromCallback?.connectItemId ?? record?.connectItemId;
    if (!initialContactId || !connectItemId) return undefined;
    const conversation = await this.deps.conversations.findByContactId(initialContactId);
    if (!conversation) return undefined;
    return {
      conversation,
      initialContactId,
      connectItemId,
      record,
      sentAt: fromCallback?.sentAt ?? record?.sentAt,
    };
  }

  /** A failed template send has no chat item; find the customer's conversation instead. */
  private async conversationOfRecipient(status: MessageStatus): Promise<Conversation | undefined> {
    if (!status.recipientId) return undefined;
    // recipient_id is the number; recipient_user_id (a BSUID) when the number is not visible.
    const recipient = /^\d+$/.test(status.recipientId)
      ? { waId: status.recipientId }
      : { userId: status.recipientId };
    const key = await this.deps.keys.keyFor(status.business.phoneNumberId, recipient);
    return this.deps.conversations.get(key);
  }

  /** Runs `action` in the chat; false when the chat turned out to have ended (nothing was done). */
  private async inChat(
    conversation: Conversation,
    action: (token: string) => Promise<unknown>,
  ): Promise<boolean> {
    try {
      await this.deps.customerConnection.run(conversation, action);
      return true;
    } catch (error) {
      if (!(error instanceof ChatEndedError)) throw error;
      return false;
    }
  }
}

import { initiatingAgentFor } from './agent-initiation.js';
import type { StartDraft } from './chat-lifecycle.js';
import { type Conversation, type ConversationKey, type EndedChat, toE164 } from './conversation.js';
import { preferredAgentFor } from './customer-choices.js';
import { neutraliseNoticeMarker } from './customer-text.js';
import type { InboundMessage } from './inbound-message.js';
import { maskPhoneNumber } from './masking.js';
import { idempotencyToken } from './tokens.js';

/** What the chat start needs from the deployment's configuration. */
export interface StartConfig {
  readonly contactFlowId: string;
}

/**
 * The contact attributes a new chat carries: who the customer is and, for a reply to an agent's
 * template, which agent to route it back to; else, while the number's `preferredAgentHours` allow,
 * the agent who last handled the customer (flows/inbound-whatsapp.json reads them, route-back first).
 */
export function chatAttributesFor(
  key: ConversationKey,
  conversation: Conversation | undefined,
  message: InboundMessage,
  now: number,
  preferredAgentHours: number | undefined,
): Record<string, string> {
  const phone = toE164(message.customer.waId) ?? conversation?.customer.phoneNumber;
  const userId = message.customer.userId ?? conversation?.customer.userId;
  const display = message.business.displayPhoneNumber;
  const initiatingAgentId = initiatingAgentFor(conversation?.initiatedBy, now);
  // A route-back the agent armed by sending a template wins: the customer is answering them.
  const preferredAgentId =
    initiatingAgentId || preferredAgentHours === undefined
      ? undefined
      : preferredAgentFor(conversation, now, preferredAgentHours);
  return {
    channel: 'WhatsApp',
    customerId: key.customerId,
    ...(phone ? { customerPhoneNumber: phone } : {}),
    ...(userId ? { customerWhatsAppUserId: userId } : {}),
    businessPhoneNumberId: key.businessPhoneNumberId,
    ...(display ? { businessPhoneNumber: toE164(display) ?? display } : {}),
    ...(message.customer.profileName ? { customerProfileName: message.customer.profileName } : {}),
    ...(initiatingAgentId ? { initiatingAgentId } : {}),
    ...(preferredAgentId ? { preferredAgentId } : {}),
  };
}

/**
 * A new chat start opened by `message`, whose first part goes in as the InitialMessage. The token
 * names the attempt: the same message rehydrating the same ended contact gets the same contact.
 */
export function draftChatStart(
  message: InboundMessage,
  initialMessage: string,
  source: EndedChat | undefined,
  config: Pick<StartDraft, 'contactFlowId' | 'attributes'>,
): StartDraft {
  const phone = toE164(message.customer.waId);
  return {
    clientToken: idempotencyToken('start-chat', message.id, source?.contactId ?? 'new'),
    starterMessageId: message.id,
    initialMessage,
    // The profile name is the customer's own words: it must not read like a relay notice either.
    displayName:
      neutraliseNoticeMarker(message.customer.profileName?.trim() ?? '') ||
      maskPhoneNumber(phone ?? message.customer.id) ||
      'WhatsApp customer',
    ...config,
    ...(source ? { persistentSource: source } : {}),
  };
}

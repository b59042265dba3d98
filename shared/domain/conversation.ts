import type { AgentInitiation } from './agent-initiation.js';
import type { BusinessNumber, Customer } from './inbound-message.js';

/** A conversation is one business number talking to one customer. */
export interface ConversationKey {
  readonly businessPhoneNumberId: string;
  readonly customerId: string;
}

export type ConversationState = 'starting' | 'active' | 'ended';

/** Everything needed to re-issue the exact same StartChatContact if its first caller died. */
export interface PendingChatStart {
  readonly clientToken: string;
  readonly starterMessageId: string;
  readonly contactFlowId: string;
  readonly displayName: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly initialMessage: string;
  /** The ended contact to rehydrate from (persistent chat), if any. */
  readonly persistentSourceContactId?: string;
}

export interface ConnectionCredentials {
  readonly connectionToken: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

export interface Conversation {
  readonly key: ConversationKey;
  readonly state: ConversationState;
  readonly contactId?: string;
  readonly participantToken?: string;
  readonly connection?: ConnectionCredentials;
  readonly previousContactId?: string;
  /** The WhatsApp message whose text went in as this chat's InitialMessage (never re-sent). */
  readonly initialMessageId?: string;
  readonly profileName?: string;
  /** The customer's number in E.164, when WhatsApp shared it. */
  readonly customerPhoneNumber?: string;
  /** Epoch ms of the last customer message: opens WhatsApp's 24-hour window. */
  readonly lastCustomerMessageAt?: number;
  readonly lastCustomerMessageId?: string;
  /** The latest customer message already marked read on WhatsApp (blue ticks). */
  readonly lastReadMarkedId?: string;
  /** Who holds the right to finish starting the chat, and until when (epoch ms). */
  readonly startLease?: { readonly owner: string; readonly until: number };
  readonly pendingStart?: PendingChatStart;
  /** The last agent-initiated template sent to this customer from this number. */
  readonly initiatedBy?: AgentInitiation;
}

/** The key of a conversation for a customer writing to a business number. */
export function conversationKeyFor(business: BusinessNumber, customer: Customer): ConversationKey {
  return { businessPhoneNumberId: business.phoneNumberId, customerId: customer.id };
}

/** A readable form of the key, for storage and for hashing into logs. */
export function conversationKeyString(key: ConversationKey): string {
  return `${key.businessPhoneNumberId}#${key.customerId}`;
}

/** E.164 for a WhatsApp id, which is the number without '+'. Business-scoped user ids are not numbers. */
export function toE164(waId: string | undefined): string | undefined {
  if (!waId || !/^\d{6,15}$/.test(waId)) return undefined;
  return `+${waId}`;
}

/** True while the chat's connection token can still be used, with a safety margin. */
export function connectionIsFresh(
  connection: ConnectionCredentials | undefined,
  now: number,
  marginMs: number,
): boolean {
  return connection !== undefined && connection.expiresAt - marginMs > now;
}

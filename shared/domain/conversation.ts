import type { AgentInitiation } from './agent-initiation.js';
import type { AgentAssignment, MarketingPreference } from './customer-choices.js';
import type { BusinessNumber, Customer } from './inbound-message.js';

/** A conversation is one business number talking to one customer. */
export interface ConversationKey {
  readonly businessPhoneNumberId: string;
  /** The customer's business-scoped user id (BSUID) when Meta sent one, else their WhatsApp number. */
  readonly customerId: string;
}

/** Everything needed to re-issue the same StartChatContact if its first caller died. */
export interface PendingChatStart {
  /** The identity of this start: kept across takeovers so Connect returns the same contact. */
  readonly clientToken: string;
  readonly starterMessageId: string;
  readonly initialMessage: string;
  readonly displayName: string;
  /** Config-derived: recomputed at every takeover, so a corrected flow applies at once. */
  readonly contactFlowId: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** The ended contact to rehydrate from (persistent chat), if any. */
  readonly persistentSource?: EndedChat;
  /** Epoch ms when this start was first claimed; bounds how long it is replayed. */
  readonly claimedAt: number;
  /** How many invocations have claimed this start; bounds how often it is replayed. */
  readonly attempts: number;
  /** Epoch ms when Connect first refused to rehydrate the source; absent until it does. */
  readonly rehydrationRefusedAt?: number;
  /** Set once the relay gave up on the history: the agent is told when the chat is up. */
  readonly historyNotAttached?: boolean;
}

export interface ConnectionCredentials {
  readonly connectionToken: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

export interface StartLease {
  /** The WhatsApp message whose invocation holds the right to finish the start. */
  readonly owner: string;
  /** Epoch ms. */
  readonly until: number;
}

/** No chat yet: the customer never wrote, or the only start was refused. */
export interface NoChat {
  readonly state: 'none';
}

/** A start is claimed; StartChatContact may or may not have taken effect. */
export interface StartingChat {
  readonly state: 'starting';
  readonly lease: StartLease;
  readonly start: PendingChatStart;
}

/** Connect created the contact; streaming and the customer's connection are still to come. */
export interface CreatedChat {
  readonly state: 'created';
  readonly lease: StartLease;
  readonly start: PendingChatStart;
  readonly contactId: string;
  readonly participantToken: string;
}

/** The chat is running and the customer participant is connected. */
export interface ActiveChat {
  readonly state: 'active';
  readonly contactId: string;
  readonly participantToken: string;
  readonly connection: ConnectionCredentials;
  /** The WhatsApp message whose text went in as this chat's InitialMessage (never re-sent). */
  readonly initialMessageId: string;
  /** Set when the chat started without the history the relay tried to attach. */
  readonly historyNotAttached?: boolean;
}

/** The chat is over; the next customer message rehydrates it (persistent chat). */
export interface EndedChat {
  readonly state: 'ended';
  readonly contactId: string;
  /** Epoch ms when the relay learnt that the chat ended. */
  readonly endedAt: number;
}

export type Chat = NoChat | StartingChat | CreatedChat | ActiveChat | EndedChat;

/** What the relay knows about the customer, from their messages. */
export interface CustomerProfile {
  readonly profileName?: string;
  /** E.164, when WhatsApp shared the number. */
  readonly phoneNumber?: string;
  /** Meta's business-scoped user id (BSUID), when sent. */
  readonly userId?: string;
}

/** The customer's latest message: it opens WhatsApp's 24-hour window. */
export interface CustomerActivityMark {
  readonly messageId: string;
  /** Epoch ms. */
  readonly at: number;
}

export interface Conversation {
  readonly key: ConversationKey;
  /** Bumped by every chat transition; writes are conditional on it. 0 when no chat was ever claimed. */
  readonly version: number;
  readonly chat: Chat;
  readonly customer: CustomerProfile;
  readonly lastCustomerMessage?: CustomerActivityMark;
  /** The latest customer message already marked read on WhatsApp (blue ticks). */
  readonly lastReadMarkedId?: string;
  /** The last agent-initiated template sent to this customer from this number. */
  readonly initiatedBy?: AgentInitiation;
  /** The agent who last joined this conversation's chat (preferred-agent routing, callbacks). */
  readonly lastAgent?: AgentAssignment;
  /** The customer's marketing choice; absent means never recorded (unknown). */
  readonly marketing?: MarketingPreference;
}

/** A conversation whose chat is in the given state. */
export type ConversationIn<State extends Chat['state']> = Conversation & {
  readonly chat: Extract<Chat, { state: State }>;
};

/** Narrows a conversation to one chat state. */
export function isIn<State extends Chat['state']>(
  conversation: Conversation | undefined,
  state: State,
): conversation is ConversationIn<State> {
  return conversation?.chat.state === state;
}

/** The contact the conversation's chat has (or last had), if Connect created one. */
export function currentContactId(chat: Chat): string | undefined {
  return chat.state === 'none' || chat.state === 'starting' ? undefined : chat.contactId;
}

/** A conversation the relay has heard of but never started a chat for. */
export function newConversation(key: ConversationKey): Conversation {
  return { key, version: 0, chat: { state: 'none' }, customer: {} };
}

/** The key of a conversation for a customer writing to a business number: the BSUID first. */
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
export function connectionIsFresh(connection: ConnectionCredentials, now: number, marginMs: number): boolean {
  return connection.expiresAt - marginMs > now;
}

/** True while the customer's 24-hour window is open. */
export function windowIsOpen(conversation: Conversation | undefined, now: number, windowMs: number): boolean {
  const at = conversation?.lastCustomerMessage?.at;
  return at !== undefined && now - at <= windowMs;
}

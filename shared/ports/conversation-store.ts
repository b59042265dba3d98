import type {
  ConnectionCredentials,
  Conversation,
  ConversationKey,
  CustomerProfile,
} from '../domain/conversation.js';

/**
 * Durable conversations. The chat's state changes only through `save`, a write conditional on
 * the version the caller read, so the rules live in shared/domain/chat-lifecycle.ts and the
 * store only guarantees that two invocations never both make a move from the same state.
 */
export interface ConversationStore {
  /** The conversation, possibly from a short-lived per-container cache of active chats. */
  get(key: ConversationKey): Promise<Conversation | undefined>;
  /** The in-memory copy if this container holds one; never reads the table. */
  getCached(key: ConversationKey): Conversation | undefined;
  /** Strongly consistent read that bypasses any cache; for decisions a stale copy could get wrong. */
  refresh(key: ConversationKey): Promise<Conversation | undefined>;
  /** Writes `next`'s chat if the stored version is still `observedVersion`; false if it moved on. */
  save(next: Conversation, observedVersion: number): Promise<boolean>;
  /** Stores a refreshed connection token, if the chat is still active with that contact. */
  updateConnection(key: ConversationKey, contactId: string, connection: ConnectionCredentials): Promise<void>;
}

/** Contact id → conversation, so streamed chat items (after transfers, too) find their customer. */
export interface ContactDirectory {
  /** Written before streaming starts: no agent reply may arrive before its lookup exists. */
  recordContact(contactId: string, key: ConversationKey): Promise<void>;
  /** Finds a conversation by any contact id it has had. Strongly consistent. */
  findByContactId(contactId: string): Promise<Conversation | undefined>;
}

/** What the customer did and saw: the 24-hour window, typing indicators, blue ticks. */
export interface CustomerActivityLog {
  /** Records the customer's latest message (only ever forward) and profile; creates the conversation if new. */
  recordCustomerActivity(key: ConversationKey, activity: CustomerActivity): Promise<void>;
  /** False when a typing indicator went out within `minIntervalMs` (WhatsApp shows one for 25 s). */
  recordTypingSent(key: ConversationKey, now: number, minIntervalMs: number): Promise<boolean>;
  /** Records that a customer message was marked read; false if it already was. */
  recordReadMarked(key: ConversationKey, whatsAppMessageId: string): Promise<boolean>;
}

export interface CustomerActivity extends CustomerProfile {
  readonly messageId: string;
  /** Epoch ms. */
  readonly at: number;
}

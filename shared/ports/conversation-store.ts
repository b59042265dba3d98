import type { AgentInitiation } from '../domain/agent-initiation.js';
import type {
  ConnectionCredentials,
  Conversation,
  ConversationKey,
  PendingChatStart,
} from '../domain/conversation.js';

/**
 * Durable state of conversations. Every transition is a conditional write on what the caller
 * last observed, so two invocations can never both believe they own the same chat start.
 */
export interface ConversationStore {
  /** The conversation, possibly from a short-lived per-container cache of active chats. */
  get(key: ConversationKey): Promise<Conversation | undefined>;

  /** The in-memory copy if this container holds one; never reads the table. */
  getCached(key: ConversationKey): Conversation | undefined;

  /** Strongly consistent read that bypasses any cache; for decisions a stale copy could get wrong. */
  refresh(key: ConversationKey): Promise<Conversation | undefined>;

  /**
   * Claims the right to start a chat. Succeeds only if the conversation is still as observed:
   * absent, ended with the same contact, or starting under an expired lease held by the same owner.
   * A takeover of an expired lease keeps the existing pending start so the same request is re-issued.
   * The lease owner itself (a redelivery of the starter message) may always reclaim.
   * Returns the conversation as claimed, or undefined when someone else got there first.
   */
  claimChatStart(
    key: ConversationKey,
    observed: Conversation | undefined,
    claim: {
      owner: string;
      leaseUntil: number;
      pendingStart: PendingChatStart;
      customer: CustomerDetails;
      now: number;
    },
  ): Promise<Conversation | undefined>;

  /**
   * Records the contact as soon as StartChatContact returns, so a crash cannot orphan it, and
   * writes the contactId → conversation lookup before any streaming event can need it.
   * Keyed by contact, not lease owner: a takeover re-issues the same idempotent start and so
   * records the same contact.
   */
  recordContactCreated(
    key: ConversationKey,
    contact: { contactId: string; participantToken: string },
  ): Promise<void>;

  /** Marks the chat active with its connection and clears the start lease. */
  activate(key: ConversationKey, contactId: string, connection: ConnectionCredentials): Promise<void>;

  /** Stores a refreshed connection token for the current contact. */
  updateConnection(key: ConversationKey, contactId: string, connection: ConnectionCredentials): Promise<void>;

  /** Marks the chat ended, if it is still the given contact. */
  markEnded(key: ConversationKey, contactId: string): Promise<void>;

  /** Records customer activity (24-hour window, typing target, profile name) and refreshes the TTL. */
  recordCustomerActivity(key: ConversationKey, activity: CustomerActivity): Promise<void>;

  /**
   * Records that a typing indicator goes out now, unless one went out within `minIntervalMs`.
   * Returns false when throttled: WhatsApp shows the indicator for 25 s, so more are noise.
   */
  recordTypingSent(key: ConversationKey, now: number, minIntervalMs: number): Promise<boolean>;

  /** Records that a customer message was marked read; false if it already was. */
  recordReadMarked(key: ConversationKey, whatsAppMessageId: string): Promise<boolean>;

  /**
   * Records that an agent sent a template to start (or restart) the conversation, creating the
   * conversation if the customer never wrote. Touches nothing else, so it is safe while a chat runs.
   */
  recordAgentInitiation(key: ConversationKey, initiation: AgentInitiation): Promise<void>;

  /** Finds a conversation by any contact id it has had. Strongly consistent. */
  findByContactId(contactId: string): Promise<Conversation | undefined>;
}

export interface CustomerDetails {
  readonly profileName?: string;
  readonly phoneNumber?: string;
}

export interface CustomerActivity extends CustomerDetails {
  readonly messageId: string;
  /** Epoch ms. */
  readonly at: number;
}

/**
 * The Amazon Connect operations the relay needs, in the relay's own words.
 * Adapters translate AWS errors: AccessDenied on a participant call becomes ChatEndedError or
 * ConnectionRejectedError, throttling and 5xx become RetryableError.
 */
export interface ChatService {
  startChat(request: StartChatRequest): Promise<StartedChat>;
  startStreaming(request: { contactId: string; clientToken: string }): Promise<void>;
  /** CreateParticipantConnection with CONNECTION_CREDENTIALS and ConnectParticipant=true. */
  connectParticipant(participantToken: string): Promise<{ connectionToken: string; expiresAt: number }>;
  sendMessage(request: {
    connectionToken: string;
    contactId: string;
    content: string;
    clientToken: string;
  }): Promise<{ messageId: string }>;
}

export interface StartChatRequest {
  readonly contactFlowId: string;
  readonly displayName: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly initialMessage: string;
  readonly clientToken: string;
  readonly chatDurationMinutes: number;
  readonly persistentSourceContactId?: string;
}

export interface StartedChat {
  readonly contactId: string;
  readonly participantToken: string;
}

/** The participant service refused the connection token; the participant token may still be good. */
export class ConnectionRejectedError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('Connect rejected the connection token', options);
    this.name = 'ConnectionRejectedError';
  }
}

/** StartChatContact refused the PersistentChat source (too old, not ended, other instance). */
export class PersistentChatRejectedError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('Connect rejected the persistent chat source contact', options);
    this.name = 'PersistentChatRejectedError';
  }
}

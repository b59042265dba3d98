/**
 * The Amazon Connect operations the relay needs, in the relay's own words.
 * Adapters translate AWS errors: AccessDenied on a participant call becomes ChatEndedError or
 * ConnectionRejectedError, throttling and 5xx become RetryableError.
 */
export interface ChatService extends ParticipantService {
  startChat(request: StartChatRequest): Promise<StartedChat>;
  startStreaming(request: { contactId: string; clientToken: string }): Promise<void>;
}

/** What the customer participant can do in an existing chat (bearer tokens, no IAM). */
export interface ParticipantService {
  /** CreateParticipantConnection with CONNECTION_CREDENTIALS and ConnectParticipant=true. */
  connectParticipant(participantToken: string): Promise<{ connectionToken: string; expiresAt: number }>;
  sendMessage(request: {
    connectionToken: string;
    contactId: string;
    content: string;
    clientToken: string;
  }): Promise<{ messageId: string }>;
  /** SendEvent as the customer: typing, or a delivered/read receipt for a Connect message id. */
  sendEvent(request: {
    connectionToken: string;
    contentType: string;
    content?: string;
    clientToken: string;
  }): Promise<void>;
  /** A short-lived download URL for a chat attachment. */
  getAttachmentUrl(request: { connectionToken: string; attachmentId: string }): Promise<string>;
  /**
   * Connect's scan verdict for an attachment in the chat, re-read with backoff for up to
   * `maxWaitMs` while the scan is still in progress (or the item is not in the transcript yet).
   */
  awaitAttachmentScan(request: {
    connectionToken: string;
    contactId: string;
    attachmentId: string;
    maxWaitMs: number;
  }): Promise<AttachmentScanStatus>;
}

/** Connect's attachment scan: APPROVED, REJECTED, IN_PROGRESS, or NOT_FOUND in the transcript. */
export type AttachmentScanStatus = 'APPROVED' | 'REJECTED' | 'IN_PROGRESS' | 'NOT_FOUND';

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

/**
 * StartChatContact refused the request outright (a 4xx such as ResourceNotFound, InvalidParameter
 * or AccessDenied): nothing took effect, and repeating the same request can never succeed.
 */
export class ChatStartRefusedError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Connect refused to start the chat: ${reason}`, options);
    this.name = 'ChatStartRefusedError';
  }
}

/**
 * Connect would not take a receipt: more than two participants, a supervisor barged in, or any
 * other refusal that a retry would meet again. `reason` names the refusal for metrics.
 */
export class ReceiptNotAcceptedError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Connect did not accept the receipt event: ${reason}`, options);
    this.name = 'ReceiptNotAcceptedError';
  }
}

/**
 * Domain errors. Each one maps to exactly one outcome in the batch processor:
 * retry (the record goes back to the queue) or reject (the record is dead-lettered at once).
 */

/** An error's name for logs and metric reasons (an SDK exception's name, say), or `UnknownError`. */
export function errorName(error: unknown): string {
  return (error as { name?: string } | null | undefined)?.name ?? 'UnknownError';
}

/** Retrying later may succeed: throttling, 5xx, a chat still being set up by another invocation. */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RetryableError';
  }
}

/** Another invocation is starting this conversation's chat and did not finish in time. */
export class ConversationBusyError extends RetryableError {
  constructor(message: string) {
    super(message, 'ConversationBusy');
    this.name = 'ConversationBusyError';
  }
}

/** The record can never be processed: retrying would only crash-loop, so it is dead-lettered. */
export class MalformedEventError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MalformedEventError';
  }
}

/** Connect refused the participant: the chat is over. */
export class ChatEndedError extends Error {
  constructor(
    readonly contactId: string,
    options?: { cause?: unknown },
  ) {
    super(`Chat ${contactId} has ended`, options);
    this.name = 'ChatEndedError';
  }
}

/** A downstream call failed in a way that retrying will not fix (validation, permissions). */
export class PermanentDeliveryError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}

/**
 * Sends a Meta Cloud API message from the configured business number. Adapters map AWS errors to
 * TemplateSendError, so the use case words one message per kind of failure.
 */
export interface TemplateSender {
  send(message: Record<string, unknown>): Promise<{ messageId: string }>;
}

export type TemplateSendFailure =
  | 'Throttled'
  | 'Rejected'
  | 'MetaRefused'
  | 'NotFound'
  | 'Unavailable'
  /** The request may have reached WhatsApp (a timeout): whether it was sent is not known. */
  | 'Unconfirmed'
  | 'Unknown';

/** A send that did not happen, classified for the agent and for metrics. */
export class TemplateSendError extends Error {
  constructor(
    readonly failure: TemplateSendFailure,
    readonly awsErrorName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TemplateSendError';
  }
}

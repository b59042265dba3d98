import { PermanentDeliveryError, RetryableError } from '../domain/errors.js';
import type { WhatsAppPayload } from '../domain/whatsapp-payloads.js';

/**
 * Sends a WhatsApp Cloud API message from a business number. SendWhatsAppMessage takes no
 * idempotency token, so callers guard each send with the outbound ledger's send-once claim.
 * Adapters throw WhatsAppNotSentError when the request certainly had no effect, RetryableError
 * when it failed transiently and may have taken effect, and WhatsAppRefusedError when AWS or Meta
 * refused the message itself.
 */
export interface WhatsAppSender {
  send(originationPhoneNumberId: string, payload: WhatsAppPayload): Promise<{ messageId: string }>;
}

/** The send certainly did not happen (throttled, rate-limited, never connected): safe to send again. */
export class WhatsAppNotSentError extends RetryableError {
  constructor(message: string, reason: string, options?: { cause?: unknown }) {
    super(message, reason, options);
    this.name = 'WhatsAppNotSentError';
  }
}

/** The message was refused; `metaErrorCode` is Meta's code when the refusal names one. */
export class WhatsAppRefusedError extends PermanentDeliveryError {
  constructor(
    message: string,
    reason: string,
    readonly metaErrorCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, reason, options);
    this.name = 'WhatsAppRefusedError';
  }
}

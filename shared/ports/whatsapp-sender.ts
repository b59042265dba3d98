import type { WhatsAppPayload } from '../domain/whatsapp-payloads.js';

/**
 * Sends a WhatsApp Cloud API message from a business number. SendWhatsAppMessage takes no
 * idempotency token, so callers guard each send with the outbound ledger's send-once claim.
 * Adapters throw RetryableError for throttling and 5xx, and PermanentDeliveryError when AWS
 * refuses the message itself.
 */
export interface WhatsAppSender {
  send(originationPhoneNumberId: string, payload: WhatsAppPayload): Promise<{ messageId: string }>;
}

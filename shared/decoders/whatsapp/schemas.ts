import * as z from 'zod';
import type { WhatsAppError } from '../../domain/inbound-message.js';

/** Meta's error object, in `value.errors`, `messages[].errors` and `statuses[].errors`. */
export const errorSchema = z.object({
  code: z.coerce.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
});

/** The relay's view of a Meta error: the most specific explanation Meta gave. */
export function toError(error: z.infer<typeof errorSchema>): WhatsAppError {
  const details = error.error_data?.details ?? error.message;
  return {
    code: error.code,
    ...(error.title ? { title: error.title } : {}),
    ...(details ? { details } : {}),
  };
}

/** `value.metadata` of a phone-number-level change. */
export const metadataSchema = z.object({
  phone_number_id: z.string(),
  display_phone_number: z.string().optional(),
});

/** `value.contacts[]`: who the message is from (wa_id while the number is visible, BSUID always). */
export const contactSchema = z.object({
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  profile: z.object({ name: z.string().optional() }).optional(),
});

export type WebhookContact = z.infer<typeof contactSchema>;

import * as z from 'zod';
import { callbackSettingsSchema } from './callback-settings.js';

/** One WhatsApp business number the relay serves, and where its conversations go in Connect. */
export const businessNumberSchema = z.object({
  /** EUM Social phone number id, `phone-number-id-<32 hex>`, as shown in the EUM console. */
  phoneNumberId: z.string().regex(/^phone-number-id-[0-9a-zA-Z]+$/, 'must look like phone-number-id-<id>'),
  /** Contact flow id (not ARN) that new chats for this number start in. */
  inboundFlowId: z.string().min(1).max(500),
  /** "Call me" voice callbacks (shared/config/callback-settings.ts); left out: not offered. */
  callback: callbackSettingsSchema.optional(),
});

export type BusinessNumberConfig = z.infer<typeof businessNumberSchema>;

export const businessNumbersSchema = z
  .array(businessNumberSchema)
  .min(1, 'configure at least one business number')
  .refine((numbers) => new Set(numbers.map((n) => n.phoneNumberId)).size === numbers.length, {
    message: 'phoneNumberId values must be unique',
  });

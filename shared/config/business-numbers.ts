import * as z from 'zod';

/**
 * Voice-note transcription for one number (absent: off). Amazon Transcribe identifies the
 * language among `languages` (LanguageOptions: "two or more language codes … more than five is not
 * recommended", botocore transcribe StartTranscriptionJobRequest). Codes look like `es-US`.
 */
export const transcriptionSettingsSchema = z.object({
  enabled: z.boolean(),
  languages: z
    .array(z.string().regex(/^[a-z]{2,3}-[A-Z]{2}$/, 'must be a Transcribe language code like es-US'))
    .min(2, 'list at least two candidate languages (Transcribe identifies one of them)')
    .max(5, 'list at most five candidate languages (Transcribe advises against more)')
    .refine((codes) => new Set(codes).size === codes.length, { message: 'languages must be unique' }),
  /** Notes longer than this are not transcribed (transcription is paid per second). */
  maxSeconds: z.number().int().min(1).max(14_400).default(120),
});

/** One WhatsApp business number the relay serves, and where its conversations go in Connect. */
export const businessNumberSchema = z.object({
  /** EUM Social phone number id, `phone-number-id-<32 hex>`, as shown in the EUM console. */
  phoneNumberId: z.string().regex(/^phone-number-id-[0-9a-zA-Z]+$/, 'must look like phone-number-id-<id>'),
  /** Contact flow id (not ARN) that new chats for this number start in. */
  inboundFlowId: z.string().min(1).max(500),
  transcription: transcriptionSettingsSchema.optional(),
});

export type BusinessNumberConfig = z.infer<typeof businessNumberSchema>;

export const businessNumbersSchema = z
  .array(businessNumberSchema)
  .min(1, 'configure at least one business number')
  .refine((numbers) => new Set(numbers.map((n) => n.phoneNumberId)).size === numbers.length, {
    message: 'phoneNumberId values must be unique',
  });

/**
 * A Transcribe job-name prefix: the job-name pattern `^[0-9a-zA-Z._-]+`, short enough to leave room
 * for the 40-character hash within the 200-character limit. The default only serves local runs:
 * infra always sets the stack's own.
 */
export const transcriptionJobPrefixSchema = z
  .string()
  .regex(/^[0-9a-zA-Z._-]{1,100}$/, 'must use only 0-9 a-z A-Z . _ - (at most 100)')
  .default('whatsapp-relay-vn-');

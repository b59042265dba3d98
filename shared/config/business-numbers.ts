import * as z from 'zod';
import { callbackSettingsSchema } from './callback-settings.js';

/** One year; infra/config/relay-config.ts also keeps it within the conversation's lifetime. */
export const PREFERRED_AGENT_MAX_HOURS = 8_760;

/** A keyword list: each keyword must keep a letter or digit once punctuation is dropped. */
const keywordListSchema = z
  .array(
    z
      .string()
      .min(1)
      .max(60)
      .refine((keyword) => /[\p{L}\p{N}]/u.test(keyword), 'a keyword needs a letter or digit'),
  )
  .max(50);

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
  /**
   * A returning customer's next chat is offered first to the agent who last handled them, while
   * that agent joined at most `hours` ago (the chat's `preferredAgentId` attribute). Off when absent.
   */
  preferredAgent: z
    .object({
      enabled: z.boolean(),
      hours: z.number().int().min(1).max(PREFERRED_AGENT_MAX_HOURS),
    })
    .strict()
    .optional(),
  /**
   * Whole messages that opt the customer out of marketing messages (shared/domain/marketing-consent.ts).
   * Left out: the defaults (STOP, PARAR, SAIR, BAJA, UNSUBSCRIBE, ОТПИСАТЬСЯ…); `[]` turns keywords off.
   */
  optOutKeywords: keywordListSchema.optional(),
  /** Whole messages that opt a keyword opt-out back in. Left out: START, UNSTOP, SUBSCRIBE, ПОДПИСАТЬСЯ. */
  optInKeywords: keywordListSchema.optional(),
  /** "Call me" voice callbacks (shared/config/callback-settings.ts); left out: not offered. */
  callback: callbackSettingsSchema.optional(),
  transcription: transcriptionSettingsSchema.optional(),
});

/** The hours a number's preferred agent lasts, or undefined when the preference is off. */
export function preferredAgentHours(
  number: Pick<BusinessNumberConfig, 'preferredAgent'>,
): number | undefined {
  return number.preferredAgent?.enabled ? number.preferredAgent.hours : undefined;
}

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

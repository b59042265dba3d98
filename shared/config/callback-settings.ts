import * as z from 'zod';

/**
 * A business number's "call me" settings (docs/voice-callback.md). Left out: the number does not
 * offer callbacks and "call me" is relayed like any other message. `enabled: false`: the customer
 * is told calls cannot be requested here, and the agent is told they asked.
 */

const E164 = /^\+[1-9]\d{1,14}$/;

/** A language tag such as `en`, `es`, `pt-BR`: it names a phrase list and the replies in that language. */
const languageSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'must be a language tag like en or pt-BR');

/** Customer replies, each optional: the built-in text of that language (else English) fills the gaps. */
export const callbackRepliesSchema = z
  .object({
    /** `{number}` is the number the call comes from. */
    calling: z.string().min(1).max(1024),
    alreadyCalling: z.string().min(1).max(1024),
    noPhoneNumber: z.string().min(1).max(1024),
    outsideHours: z.string().min(1).max(1024),
    unavailable: z.string().min(1).max(1024),
  })
  .partial()
  .strict();

const sharedSettings = {
  /** Phrases per language; replaces the built-in English, Spanish and Portuguese lists. */
  phrases: z.record(languageSchema, z.array(z.string().min(1).max(200)).min(1)).optional(),
  /** Words removed from the start and end of a message before matching ("please", "por favor"). */
  courtesyWords: z.array(z.string().min(1).max(50)).optional(),
  replies: z.record(languageSchema, callbackRepliesSchema).optional(),
};

const enabledSchema = z
  .object({
    enabled: z.literal(true),
    /** The outbound contact flow the call runs (StartOutboundVoiceContact ContactFlowId). */
    outboundFlowId: z.string().min(1).max(500),
    /** A Connect number of the instance, E.164: the caller id. */
    sourcePhoneNumber: z.string().regex(E164, 'must be E.164, like +15550100').optional(),
    /** A queue id: its outbound caller id is shown, and the call is queued there. */
    queueId: z.string().min(1).max(500).optional(),
    /** The number the customer is told the call comes from; default `sourcePhoneNumber`. */
    announcedPhoneNumber: z.string().regex(E164, 'must be E.164, like +15550100').optional(),
    /** A repeat request within this many minutes of a call does not dial again. */
    cooldownMinutes: z.number().int().min(1).max(1440).default(10),
    /** Hours of operation id: outside them no call is placed and the customer is told. */
    hoursOfOperationId: z.string().min(1).max(500).optional(),
    ...sharedSettings,
  })
  .strict()
  // StartOutboundVoiceContact: "If you do not specify a queue, you must specify a source phone
  // number" (botocore connect 2017-08-08, StartOutboundVoiceContactRequest).
  .refine((settings) => settings.sourcePhoneNumber || settings.queueId, {
    message: 'give sourcePhoneNumber or queueId (StartOutboundVoiceContact needs one)',
  })
  .refine((settings) => settings.sourcePhoneNumber || settings.announcedPhoneNumber, {
    message: 'give announcedPhoneNumber when calls go out through queueId, so the customer knows who calls',
  });

const disabledSchema = z.object({ enabled: z.literal(false), ...sharedSettings }).strict();

export const callbackSettingsSchema = z.discriminatedUnion('enabled', [enabledSchema, disabledSchema]);

export type CallbackSettings = z.infer<typeof callbackSettingsSchema>;
export type CallbackReplies = z.infer<typeof callbackRepliesSchema>;

import * as z from 'zod';
import { businessNumbersSchema, transcriptionJobPrefixSchema } from './business-numbers.js';
import { ENV } from './environment-names.js';
import { intEnv, jsonEnv, loadConfig } from './load-config.js';
import { metaApiVersionSchema } from './template-catalogue-env.js';

const inboundEnvSchema = z.object({
  [ENV.conversationTable]: z.string().min(3),
  [ENV.connectInstanceId]: z.string().min(1),
  [ENV.streamingTopic]: z.string().startsWith('arn:'),
  [ENV.businessNumbers]: jsonEnv(businessNumbersSchema),
  [ENV.deadLetterQueue]: z.string().url(),
  [ENV.mediaBucket]: z.string().min(3).max(63),
  /** This stack's Transcribe job-name prefix (the EventBridge rule matches it). */
  [ENV.transcriptionJobPrefix]: transcriptionJobPrefixSchema,
  [ENV.chatDurationMinutes]: intEnv(1500, 60, 10080),
  [ENV.conversationTtlDays]: intEnv(30, 1, 3650),
  [ENV.ledgerTtlDays]: intEnv(8, 1, 365),
  [ENV.chatStartLeaseMs]: intEnv(40_000, 1_000, 900_000),
  [ENV.chatStartWaitMs]: intEnv(8_000, 0, 60_000),
  /** Claims of one pending chat start before it is re-derived from the current message. */
  [ENV.chatStartMaxAttempts]: intEnv(5, 1, 100),
  /** Age after which a pending chat start is re-derived (a few visibility timeouts). */
  [ENV.chatStartMaxAgeMs]: intEnv(600_000, 60_000, 86_400_000),
  /** How long refusals to rehydrate an ended chat are retried (Connect: wait 30–60 s after the end). */
  [ENV.persistentChatPatienceMs]: intEnv(90_000, 60_000, 900_000),
  /** Graph API version of the callback's WhatsApp replies (SendWhatsAppMessage). */
  [ENV.metaApiVersion]: metaApiVersionSchema.default('v23.0'),
});

export type InboundConfig = z.infer<typeof inboundEnvSchema>;

/** The inbound relay's settings, read once at cold start. */
export function loadInboundConfig(env: Record<string, string | undefined>): Readonly<InboundConfig> {
  return loadConfig(inboundEnvSchema, env);
}

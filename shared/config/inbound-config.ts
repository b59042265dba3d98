import * as z from 'zod';
import { businessNumbersSchema } from './business-numbers.js';
import { intEnv, jsonEnv, loadConfig } from './load-config.js';

const inboundEnvSchema = z.object({
  CONVERSATION_TABLE_NAME: z.string().min(3),
  CONNECT_INSTANCE_ID: z.string().min(1),
  STREAMING_TOPIC_ARN: z.string().startsWith('arn:'),
  BUSINESS_NUMBERS: jsonEnv(businessNumbersSchema),
  DEAD_LETTER_QUEUE_URL: z.string().url(),
  MEDIA_BUCKET_NAME: z.string().min(3).max(63),
  CHAT_DURATION_MINUTES: intEnv(1500, 60, 10080),
  CONVERSATION_TTL_DAYS: intEnv(30, 1, 3650),
  LEDGER_TTL_DAYS: intEnv(8, 1, 365),
  CHAT_START_LEASE_MS: intEnv(40_000, 1_000, 900_000),
  CHAT_START_WAIT_MS: intEnv(8_000, 0, 60_000),
  /** Claims of one pending chat start before it is re-derived from the current message. */
  CHAT_START_MAX_ATTEMPTS: intEnv(5, 1, 100),
  /** Age after which a pending chat start is re-derived (a few visibility timeouts). */
  CHAT_START_MAX_AGE_MS: intEnv(600_000, 60_000, 86_400_000),
  /** How long refusals to rehydrate an ended chat are retried (Connect: wait 30–60 s after the end). */
  PERSISTENT_CHAT_PATIENCE_MS: intEnv(90_000, 60_000, 900_000),
});

export type InboundConfig = z.infer<typeof inboundEnvSchema>;

/** The inbound relay's settings, read once at cold start. */
export function loadInboundConfig(env: Record<string, string | undefined>): Readonly<InboundConfig> {
  return loadConfig(inboundEnvSchema, env);
}

import * as z from 'zod';
import { intEnv, loadConfig } from './load-config.js';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value : undefined));

const outboundEnvSchema = z.object({
  CONVERSATION_TABLE_NAME: z.string().min(3),
  DEAD_LETTER_QUEUE_URL: z.string().url(),
  META_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v23.0')
    .default('v23.0'),
  CUSTOMER_SERVICE_WINDOW_HOURS: intEnv(24, 1, 24),
  TYPING_INTERVAL_SECONDS: intEnv(20, 1, 3600),
  SEND_LEASE_SECONDS: intEnv(60, 5, 900),
  // Connect's SNS item can arrive before the chat's contact lookup is written: retry until then.
  UNKNOWN_CONTACT_RETRY_SECONDS: intEnv(300, 0, 3600),
  // Re-checks of an agent attachment Connect is still scanning, within one invocation.
  ATTACHMENT_SCAN_WAIT_SECONDS: intEnv(10, 0, 20),
  // WhatsApp limits the list button to 20 characters.
  /** Absent: the domain's default label (DEFAULT_LIST_BUTTON_LABEL). */
  LIST_BUTTON_LABEL: z.string().trim().min(1).max(20).optional(),
  AGENT_JOINED_MESSAGE: optionalText,
  CHAT_ENDED_MESSAGE: optionalText,
  CONVERSATION_TTL_DAYS: intEnv(30, 1, 3650),
  LEDGER_TTL_DAYS: intEnv(8, 1, 365),
});

export type OutboundConfig = z.infer<typeof outboundEnvSchema>;

/** The outbound relay's settings, read once at cold start. */
export function loadOutboundConfig(env: Record<string, string | undefined>): Readonly<OutboundConfig> {
  return loadConfig(outboundEnvSchema, env);
}

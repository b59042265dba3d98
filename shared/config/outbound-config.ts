import * as z from 'zod';
import { ENV } from './environment-names.js';
import { intEnv, loadConfig } from './load-config.js';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value : undefined));

const outboundEnvSchema = z.object({
  [ENV.conversationTable]: z.string().min(3),
  // DescribeContact on the contact an agent joined: who the conversation's last agent is.
  [ENV.connectInstanceId]: z.string().min(1),
  [ENV.deadLetterQueue]: z.string().url(),
  [ENV.metaApiVersion]: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v23.0')
    .default('v23.0'),
  [ENV.customerServiceWindowHours]: intEnv(24, 1, 24),
  [ENV.typingIntervalSeconds]: intEnv(20, 1, 3600),
  [ENV.sendLeaseSeconds]: intEnv(60, 5, 900),
  // Connect's SNS item can arrive before the chat's contact lookup is written: retry until then.
  [ENV.unknownContactRetrySeconds]: intEnv(300, 0, 3600),
  // Re-checks of an agent attachment Connect is still scanning, within one invocation.
  [ENV.attachmentScanWaitSeconds]: intEnv(10, 0, 20),
  // WhatsApp limits the list button to 20 characters.
  /** Absent: the domain's default label (DEFAULT_LIST_BUTTON_LABEL). */
  [ENV.listButtonLabel]: z.string().trim().min(1).max(20).optional(),
  [ENV.agentJoinedMessage]: optionalText,
  [ENV.chatEndedMessage]: optionalText,
  [ENV.conversationTtlDays]: intEnv(30, 1, 3650),
  [ENV.ledgerTtlDays]: intEnv(8, 1, 365),
});

export type OutboundConfig = z.infer<typeof outboundEnvSchema>;

/** The outbound relay's settings, read once at cold start. */
export function loadOutboundConfig(env: Record<string, string | undefined>): Readonly<OutboundConfig> {
  return loadConfig(outboundEnvSchema, env);
}

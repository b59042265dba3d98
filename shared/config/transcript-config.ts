import * as z from 'zod';
import { transcriptionJobPrefixSchema } from './business-numbers.js';
import { ENV } from './environment-names.js';
import { intEnv, loadConfig } from './load-config.js';

const transcriptEnvSchema = z.object({
  [ENV.conversationTable]: z.string().min(3),
  [ENV.conversationTtlDays]: intEnv(30, 1, 3650),
  [ENV.ledgerTtlDays]: intEnv(8, 1, 365),
  [ENV.mediaBucket]: z.string().min(3).max(63),
  [ENV.transcriptionJobPrefix]: transcriptionJobPrefixSchema,
});

export type TranscriptConfig = z.infer<typeof transcriptEnvSchema>;

/** The transcript function's settings, read once at cold start. */
export function loadTranscriptConfig(env: Record<string, string | undefined>): Readonly<TranscriptConfig> {
  return loadConfig(transcriptEnvSchema, env);
}

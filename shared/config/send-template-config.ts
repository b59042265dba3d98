import { z } from 'zod';
import { ENV } from './environment-names.js';
import { intEnv, loadConfig } from './load-config.js';
import {
  listEnv,
  metaApiVersionSchema,
  phoneNumberIdSchema,
  wabaIdSchema,
} from './template-catalogue-env.js';

const sendTemplateEnvSchema = z.object({
  [ENV.whatsAppBusinessAccountId]: wabaIdSchema,
  [ENV.templateSenderPhoneNumberId]: phoneNumberIdSchema,
  [ENV.metaApiVersion]: metaApiVersionSchema.default('v23.0'),
  [ENV.templateAllowList]: listEnv(),
  [ENV.templateCacheTtlSeconds]: intEnv(300, 0, 86_400),
  [ENV.conversationTable]: z.string().min(3),
  [ENV.conversationTtlDays]: intEnv(30, 1, 3650),
  /** The instance whose contacts the guide describes (DescribeContact) to find its customer and agent. */
  [ENV.connectInstanceId]: z.string().min(1),
});

export type SendTemplateConfig = z.infer<typeof sendTemplateEnvSchema>;

/** The send-template function's settings, read once at cold start. */
export function loadSendTemplateConfig(
  env: Record<string, string | undefined>,
): Readonly<SendTemplateConfig> {
  return loadConfig(sendTemplateEnvSchema, env);
}

import { z } from 'zod';
import { intEnv, loadConfig } from './load-config.js';
import {
  listEnv,
  metaApiVersionSchema,
  phoneNumberIdSchema,
  wabaIdSchema,
} from './template-catalogue-env.js';

const sendTemplateEnvSchema = z.object({
  WHATSAPP_BUSINESS_ACCOUNT_ID: wabaIdSchema,
  TEMPLATE_SENDER_PHONE_NUMBER_ID: phoneNumberIdSchema,
  META_API_VERSION: metaApiVersionSchema.default('v23.0'),
  TEMPLATE_ALLOW_LIST: listEnv(),
  TEMPLATE_CACHE_TTL_SECONDS: intEnv(300, 0, 86_400),
  CONVERSATION_TABLE_NAME: z.string().min(3),
  CONVERSATION_TTL_DAYS: intEnv(30, 1, 3650),
  /** The instance whose contacts the guide describes (DescribeContact) to find its customer and agent. */
  CONNECT_INSTANCE_ID: z.string().min(1),
});

export type SendTemplateConfig = z.infer<typeof sendTemplateEnvSchema>;

/** The send-template function's settings, read once at cold start. */
export function loadSendTemplateConfig(
  env: Record<string, string | undefined>,
): Readonly<SendTemplateConfig> {
  return loadConfig(sendTemplateEnvSchema, env);
}

import { z } from 'zod';
import { intEnv, loadConfig } from './load-config.js';
import { listEnv, wabaIdSchema } from './template-catalogue-env.js';

const customerDataEnvSchema = z.object({
  CUSTOMERS_TABLE_NAME: z.string().min(3),
  WHATSAPP_BUSINESS_ACCOUNT_ID: wabaIdSchema,
  TEMPLATE_ALLOW_LIST: listEnv(),
  TEMPLATE_CACHE_TTL_SECONDS: intEnv(300, 0, 86_400),
  /** The instance whose contacts the guide describes (DescribeContact) to find its customer and agent. */
  CONNECT_INSTANCE_ID: z.string().min(1),
});

export type CustomerDataConfig = z.infer<typeof customerDataEnvSchema>;

/** The customer-data function's settings, read once at cold start. */
export function loadCustomerDataConfig(
  env: Record<string, string | undefined>,
): Readonly<CustomerDataConfig> {
  return loadConfig(customerDataEnvSchema, env);
}

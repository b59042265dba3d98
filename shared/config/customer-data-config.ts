import { z } from 'zod';
import { ENV } from './environment-names.js';
import { intEnv, loadConfig } from './load-config.js';
import { listEnv, phoneNumberIdSchema, wabaIdSchema } from './template-catalogue-env.js';

const customerDataEnvSchema = z.object({
  [ENV.customersTable]: z.string().min(3),
  [ENV.whatsAppBusinessAccountId]: wabaIdSchema,
  [ENV.templateAllowList]: listEnv(),
  [ENV.templateCacheTtlSeconds]: intEnv(300, 0, 86_400),
  /** The instance whose contacts the guide describes (DescribeContact) to find its customer and agent. */
  [ENV.connectInstanceId]: z.string().min(1),
  /** Read only: the customer's marketing choice, on their conversation (record-marketing-choice.ts). */
  [ENV.conversationTable]: z.string().min(3),
  /** The number templates go from: marketing choices are per business number. */
  [ENV.templateSenderPhoneNumberId]: phoneNumberIdSchema,
});

export type CustomerDataConfig = z.infer<typeof customerDataEnvSchema>;

/** The customer-data function's settings, read once at cold start. */
export function loadCustomerDataConfig(
  env: Record<string, string | undefined>,
): Readonly<CustomerDataConfig> {
  return loadConfig(customerDataEnvSchema, env);
}

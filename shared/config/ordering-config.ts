import * as z from 'zod';
import { ENV } from './environment-names.js';
import { loadConfig } from './load-config.js';

const orderingEnvSchema = z.object({
  /** The relay's SQS FIFO queue, where each item goes in its conversation's message group. */
  [ENV.orderedQueue]: z
    .string()
    .url()
    .refine((url) => url.endsWith('.fifo'), 'must be a FIFO queue (name ending in .fifo)'),
  /** The standard queue's DLQ: malformed records and items go there at once, with their reason. */
  [ENV.deadLetterQueue]: z.string().url(),
});

export type OrderingConfig = z.infer<typeof orderingEnvSchema>;

/** Reads both ordering stages' environment once at cold start; throws naming every problem. */
export function loadOrderingConfig(env: Record<string, string | undefined>): Readonly<OrderingConfig> {
  return loadConfig(orderingEnvSchema, env);
}

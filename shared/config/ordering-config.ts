import * as z from 'zod';
import { loadConfig } from './load-config.js';

const orderingEnvSchema = z.object({
  /** The relay's SQS FIFO queue, where each item goes in its conversation's message group. */
  ORDERED_QUEUE_URL: z
    .string()
    .url()
    .refine((url) => url.endsWith('.fifo'), 'must be a FIFO queue (name ending in .fifo)'),
  /** The standard queue's DLQ: malformed records and items go there at once, with their reason. */
  DEAD_LETTER_QUEUE_URL: z.string().url(),
});

export type OrderingConfig = z.infer<typeof orderingEnvSchema>;

/** Reads both ordering stages' environment once at cold start; throws naming every problem. */
export function loadOrderingConfig(env: Record<string, string | undefined>): Readonly<OrderingConfig> {
  return loadConfig(orderingEnvSchema, env);
}

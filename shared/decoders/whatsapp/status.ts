import * as z from 'zod';
import type { BusinessNumber, MessageStatus } from '../../domain/inbound-message.js';
import { parseWith } from '../parsing.js';
import { errorSchema, toError } from './schemas.js';

const statusSchema = z.object({
  id: z.string(),
  status: z.string(),
  timestamp: z.coerce.number(),
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  biz_opaque_callback_data: z.string().optional(),
  errors: z.array(errorSchema).optional(),
});

/** One `value.statuses[]` element (api-facts B2). Throws MalformedEventError (StatusInvalid). */
export function decodeStatus(raw: unknown, business: BusinessNumber): MessageStatus {
  const status = parseWith(statusSchema, raw, 'StatusInvalid');
  const recipientId = status.recipient_id ?? status.recipient_user_id;
  return {
    messageId: status.id,
    status: status.status,
    timestamp: status.timestamp,
    business,
    errors: (status.errors ?? []).map(toError),
    ...(recipientId ? { recipientId } : {}),
    ...(status.biz_opaque_callback_data ? { callbackData: status.biz_opaque_callback_data } : {}),
  };
}

import * as z from 'zod';
import type { BusinessNumber } from '../../domain/inbound-message.js';
import type { AccountEvent, UserPreference } from '../../domain/webhook-notifications.js';
import { parseWith } from '../parsing.js';

const UNKNOWN_EVENT = 'UNKNOWN';

// Meta, user_preferences webhook reference (updated 2026-05-21), with the BSUID additions
// (`user_id`, `parent_user_id`) from "Business-scoped user IDs": one element of
// `value.user_preferences[]` is {wa_id, user_id?, parent_user_id?, detail, category, value, timestamp}.
const userPreferenceSchema = z.object({
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  parent_user_id: z.string().optional(),
  detail: z.string().optional(),
  category: z.string().min(1),
  value: z.string().min(1),
  timestamp: z.coerce.number(),
});

/** One `user_preferences[]` element. Throws MalformedEventError (UserPreferenceInvalid). */
export function decodeUserPreference(raw: unknown, business: BusinessNumber): UserPreference {
  const preference = parseWith(
    userPreferenceSchema.refine((value) => value.wa_id || value.user_id, 'needs wa_id or user_id'),
    raw,
    'UserPreferenceInvalid',
  );
  return {
    business,
    customer: {
      ...(preference.wa_id ? { waId: preference.wa_id } : {}),
      ...(preference.user_id ? { userId: preference.user_id } : {}),
      ...(preference.parent_user_id ? { parentUserId: preference.parent_user_id } : {}),
    },
    category: preference.category,
    value: preference.value,
    timestamp: preference.timestamp,
    ...(preference.detail ? { detail: preference.detail } : {}),
  };
}

// Meta, phone_number_quality_update webhook reference: value {display_phone_number, event,
// old_limit? (limit changes only), current_limit, max_daily_conversations_per_business}; no metadata.
const qualityUpdateSchema = z.object({
  event: z.string().min(1).catch(UNKNOWN_EVENT),
  display_phone_number: z.string().optional().catch(undefined),
  current_limit: z.string().optional().catch(undefined),
  old_limit: z.string().optional().catch(undefined),
});

// Meta, account_update webhook reference (updated 2026-04-20): value {event, …event-specific info}.
const accountUpdateSchema = z.object({ event: z.string().min(1).catch(UNKNOWN_EVENT) });

/**
 * A `phone_number_quality_update` or `account_update` value. The relay only counts these for
 * on-call, so a value it cannot read is still acknowledged (event `UNKNOWN`), never dead-lettered.
 */
export function decodeAccountEvent(
  field: AccountEvent['field'],
  value: unknown,
  wabaId: string | undefined,
): AccountEvent {
  if (field === 'account_update') {
    const update = accountUpdateSchema.safeParse(value);
    return { field, event: update.data?.event ?? UNKNOWN_EVENT, ...(wabaId ? { wabaId } : {}) };
  }
  const update = qualityUpdateSchema.safeParse(value).data;
  return {
    field,
    event: update?.event ?? UNKNOWN_EVENT,
    ...(update?.display_phone_number ? { displayPhoneNumber: update.display_phone_number } : {}),
    ...(update?.current_limit ? { currentLimit: update.current_limit } : {}),
    ...(update?.old_limit ? { oldLimit: update.old_limit } : {}),
  };
}

import type { BusinessNumber } from './inbound-message.js';

/**
 * WhatsApp webhooks that are not customer messages but that the relay still reads: a customer's
 * marketing preference, and changes to the business number or account that on-call should see.
 */

/**
 * A customer stopped or resumed marketing messages (Meta's `user_preferences` webhook,
 * developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/user_preferences).
 * The agent guide uses it to keep marketing templates from customers who opted out.
 */
export interface UserPreference {
  readonly business: BusinessNumber;
  /** The customer's ids as Meta sent them; `wa_id` is withheld for some username users. */
  readonly customer: {
    readonly waId?: string;
    readonly userId?: string;
    readonly parentUserId?: string;
  };
  /** `marketing_messages` today. */
  readonly category: string;
  /** `stop` or `resume` for marketing messages. */
  readonly value: string;
  readonly detail?: string;
  /** Unix seconds. */
  readonly timestamp: number;
}

/**
 * A change to the business number or account: `phone_number_quality_update` (throughput or
 * messaging limit, reference/phone_number_quality_update) and `account_update` (violations,
 * restrictions, offboarding…, reference/account_update). Neither carries `metadata`.
 */
export type AccountEvent =
  | {
      readonly field: 'phone_number_quality_update';
      readonly event: string;
      readonly displayPhoneNumber?: string;
      readonly currentLimit?: string;
      readonly oldLimit?: string;
    }
  | { readonly field: 'account_update'; readonly event: string; readonly wabaId?: string };

import type {
  BusinessNumber,
  InboundMessage,
  MessageStatus,
  WhatsAppError,
} from '../../domain/inbound-message.js';
import type { AccountEvent, UserPreference } from '../../domain/webhook-notifications.js';

/**
 * One thing a webhook entry told the relay. A record yields any number of these; a bad one is a
 * `malformed` item of its own, so its good siblings are still relayed.
 */
export type WebhookItem =
  | { readonly kind: 'message'; readonly message: InboundMessage }
  | { readonly kind: 'status'; readonly status: MessageStatus }
  | { readonly kind: 'webhook-error'; readonly business: BusinessNumber; readonly error: WhatsAppError }
  | { readonly kind: 'unknown-business-number'; readonly metaPhoneNumberId: string }
  | { readonly kind: 'user-preference'; readonly preference: UserPreference }
  | { readonly kind: 'account-event'; readonly event: AccountEvent }
  /** A webhook field the relay acknowledges without acting on (template status, echoes, history…). */
  | { readonly kind: 'other-field'; readonly field: string }
  | MalformedItem;

/** A part of the entry that can never be decoded, with the reason it is dead-lettered under. */
export interface MalformedItem {
  readonly kind: 'malformed';
  readonly part: 'change' | 'message' | 'status' | 'user-preference';
  /** A single word such as `MessageInvalid`, used as the metric dimension and DLQ attribute. */
  readonly reason: string;
  /** Where the problem is (paths and zod messages, never values), for the dead-letter detail. */
  readonly detail: string;
}

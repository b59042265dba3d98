import * as z from 'zod';
import type { BusinessNumber } from '../domain/inbound-message.js';
import { parseJson, parseWith } from './parsing.js';
import { attempt, decodeItem } from './whatsapp/item-decoding.js';
import { decodeMessage } from './whatsapp/message.js';
import { decodeAccountEvent, decodeUserPreference } from './whatsapp/notifications.js';
import { contactSchema, errorSchema, metadataSchema, toError } from './whatsapp/schemas.js';
import { decodeStatus } from './whatsapp/status.js';
import type { WebhookItem } from './whatsapp/webhook-item.js';

export type { MalformedItem, WebhookItem } from './whatsapp/webhook-item.js';

/**
 * Decodes one SQS record from the inbound queue into what the relay acts on.
 * Layers: SQS body → SNS notification → EUM Social envelope → `whatsAppWebhookEntry` (a JSON
 * string) → Meta webhook entry with `changes[]`. Unknown fields are tolerated everywhere.
 *
 * A broken layer (not JSON, no envelope, no `changes`) rejects the whole record. Below that, each
 * change, message, status and preference is decoded on its own: a bad one becomes a `malformed`
 * item and its siblings still go through. An unknown message type becomes an `unsupported`
 * message the agent is told about, and an unknown webhook field an `other-field` item.
 */

export interface DecodedWebhook {
  /** The envelope's `messageId` when EUM sent one (it is optional), else the SNS MessageId. */
  readonly eventId: string;
  /** When EUM Social received the webhook (its envelope's `message_timestamp`), epoch ms, if sent. */
  readonly eumReceivedAt?: number;
  readonly items: readonly WebhookItem[];
}

const snsNotificationSchema = z.object({
  Type: z.literal('Notification'),
  MessageId: z.string(),
  Message: z.string(),
});

const registrationSchema = z.object({ metaPhoneNumberId: z.string(), arn: z.string() });
type Registration = z.infer<typeof registrationSchema>;

const envelopeSchema = z.object({
  context: z.object({
    MetaWabaIds: z.array(z.object({ wabaId: z.string(), arn: z.string() })).optional(),
    // Absent for WABA-level events such as template status updates, which name no phone number.
    MetaPhoneNumberIds: z.array(registrationSchema).optional(),
  }),
  whatsAppWebhookEntry: z.string(),
  messageId: z.string().optional(),
  message_timestamp: z.string().optional(),
});

const entrySchema = z.object({ id: z.string().optional(), changes: z.array(z.unknown()) });

// `field` is absent in some captures of message webhooks, so a missing field means `messages`.
const changeSchema = z.object({ field: z.string().default('messages'), value: z.unknown() });

/** The value of a change about one business phone number (`messages`, `user_preferences`). */
const numberChangeSchema = z.object({
  metadata: metadataSchema,
  contacts: z.array(contactSchema).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(errorSchema).optional(),
  user_preferences: z.array(z.unknown()).optional(),
});
type NumberChange = z.infer<typeof numberChangeSchema>;

/** Decodes an SQS record body. Throws MalformedEventError with a reason when it cannot. */
export function decodeWhatsAppWebhook(body: string): DecodedWebhook {
  const layers = decodeWebhookLayers(body);
  const eumReceivedAt = eumTimestampMs(layers.envelope.message_timestamp);
  return {
    eventId: layers.eventId,
    ...(eumReceivedAt === undefined ? {} : { eumReceivedAt }),
    items: layers.changes.flatMap((change) => layers.decodeChange(change)),
  };
}

/**
 * The layers above the webhook's changes, for a reader that handles each change on its own (the
 * ordering stage splits a record into one item per FIFO message): the envelope as EUM Social sent
 * it, the entry's raw changes, and the relay's own decoding of one change.
 */
export interface WebhookLayers {
  readonly eventId: string;
  /** The EUM Social envelope with every field it arrived with. */
  readonly envelope: Readonly<Record<string, unknown>>;
  readonly wabaId: string | undefined;
  readonly changes: readonly unknown[];
  readonly decodeChange: (change: unknown) => WebhookItem[];
}

/** Decodes everything above the changes. Throws MalformedEventError with a reason when it cannot. */
export function decodeWebhookLayers(body: string): WebhookLayers {
  const outer = parseJson(body, 'BodyNotJson');
  // Raw message delivery off: the body is an SNS notification. On: the body is the envelope itself.
  const notification = snsNotificationSchema.safeParse(outer);
  const envelopeJson = notification.success
    ? parseJson(notification.data.Message, 'SnsMessageNotJson')
    : outer;
  const envelope = parseWith(envelopeSchema, envelopeJson, 'EnvelopeInvalid');
  const entry = parseWith(
    entrySchema,
    parseJson(envelope.whatsAppWebhookEntry, 'WebhookEntryNotJson'),
    'EntryInvalid',
  );
  const registrations = envelope.context.MetaPhoneNumberIds ?? [];
  return {
    eventId: envelope.messageId ?? (notification.success ? notification.data.MessageId : 'unknown'),
    // The schema accepted it, so it is an object.
    envelope: envelopeJson as Record<string, unknown>,
    wabaId: entry.id,
    changes: entry.changes,
    decodeChange: (change) => decodeChange(change, registrations, entry.id),
  };
}

/**
 * EUM Social's `message_timestamp` ("2025-01-08T23:30:43.271279391Z", EUM Social user guide,
 * managing-event-destination-dlrs) in epoch ms; undefined when absent or unreadable, as it only
 * feeds a latency metric.
 */
function eumTimestampMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function decodeChange(
  raw: unknown,
  registrations: readonly Registration[],
  wabaId: string | undefined,
): WebhookItem[] {
  const parsed = attempt('change', () => parseWith(changeSchema, raw, 'ChangeInvalid'));
  if (!parsed.ok) return [parsed.item];
  const { field, value } = parsed.value;
  switch (field) {
    case 'messages':
      return forNumber(value, registrations, (change, business) => [
        ...(change.messages ?? []).map((message) =>
          decodeItem('message', () => ({
            kind: 'message',
            message: decodeMessage(message, change.contacts ?? [], business),
          })),
        ),
        ...(change.statuses ?? []).map((status) =>
          decodeItem('status', () => ({ kind: 'status', status: decodeStatus(status, business) })),
        ),
        ...(change.errors ?? []).map(
          (error): WebhookItem => ({ kind: 'webhook-error', business, error: toError(error) }),
        ),
      ]);
    case 'user_preferences':
      return forNumber(value, registrations, (change, business) =>
        (change.user_preferences ?? []).map((preference) =>
          decodeItem('user-preference', () => ({
            kind: 'user-preference',
            preference: decodeUserPreference(preference, business),
          })),
        ),
      );
    case 'phone_number_quality_update':
    case 'account_update':
      return [{ kind: 'account-event', event: decodeAccountEvent(field, value, wabaId) }];
    default:
      // Template status updates, Business-app echoes (`smb_message_echoes`: what the business
      // itself sent from the WhatsApp Business app on a coexistence number), history sync, and
      // fields Meta adds later: none is a customer message, so none is relayed.
      return [{ kind: 'other-field', field }];
  }
}

/** A phone-number-level change: its value, and the business number it is for. */
function forNumber(
  value: unknown,
  registrations: readonly Registration[],
  decode: (change: NumberChange, business: BusinessNumber) => WebhookItem[],
): WebhookItem[] {
  const parsed = attempt('change', () => parseWith(numberChangeSchema, value, 'ChangeInvalid'));
  if (!parsed.ok) return [parsed.item];
  const change = parsed.value;
  const registration = registrations.find(
    (candidate) => candidate.metaPhoneNumberId === change.metadata.phone_number_id,
  );
  if (!registration) {
    return [{ kind: 'unknown-business-number', metaPhoneNumberId: change.metadata.phone_number_id }];
  }
  const business: BusinessNumber = {
    phoneNumberId: phoneNumberIdFromArn(registration.arn),
    phoneNumberArn: registration.arn,
    metaPhoneNumberId: registration.metaPhoneNumberId,
    ...(change.metadata.display_phone_number
      ? { displayPhoneNumber: change.metadata.display_phone_number }
      : {}),
  };
  return decode(change, business);
}

/** `arn:…:phone-number-id/abc123` → `phone-number-id-abc123`, the id SendWhatsAppMessage takes. */
export function phoneNumberIdFromArn(arn: string): string {
  const suffix = arn.split(':').pop() ?? arn;
  return suffix.replace('/', '-');
}

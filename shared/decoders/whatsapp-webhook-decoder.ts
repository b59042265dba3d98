import * as z from 'zod';
import { MalformedEventError } from '../domain/errors.js';
import type {
  BusinessNumber,
  Customer,
  InboundContent,
  InboundMessage,
  MessageStatus,
  WhatsAppError,
} from '../domain/inbound-message.js';
import { parseJson, parseWith } from './parsing.js';

/**
 * Decodes one SQS record from the inbound queue into what the relay acts on.
 * Layers: SQS body → SNS notification → EUM Social envelope → `whatsAppWebhookEntry` (a JSON
 * string) → Meta webhook entry with `changes[]`. Unknown fields are tolerated everywhere; an
 * unknown message type becomes an `unsupported` message the agent is told about, never an error.
 */

export type WebhookItem =
  | { readonly kind: 'message'; readonly message: InboundMessage }
  | { readonly kind: 'status'; readonly status: MessageStatus }
  | { readonly kind: 'webhook-error'; readonly business: BusinessNumber; readonly error: WhatsAppError }
  | { readonly kind: 'unknown-business-number'; readonly metaPhoneNumberId: string };

export interface DecodedWebhook {
  /** The envelope's `messageId` when EUM sent one (it is optional), else the SNS MessageId. */
  readonly eventId: string;
  readonly items: readonly WebhookItem[];
}

const snsNotificationSchema = z.object({
  Type: z.literal('Notification'),
  MessageId: z.string(),
  Message: z.string(),
});

const envelopeSchema = z.object({
  context: z.object({
    MetaWabaIds: z.array(z.object({ wabaId: z.string(), arn: z.string() })).optional(),
    MetaPhoneNumberIds: z.array(z.object({ metaPhoneNumberId: z.string(), arn: z.string() })),
  }),
  whatsAppWebhookEntry: z.string(),
  messageId: z.string().optional(),
  message_timestamp: z.string().optional(),
});

const errorSchema = z.object({
  code: z.coerce.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
});

const baseMessageSchema = z.object({
  id: z.string().min(1),
  timestamp: z.coerce.number(),
  type: z.string().min(1),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  context: z
    .object({
      id: z.string().optional(),
      forwarded: z.boolean().optional(),
      frequently_forwarded: z.boolean().optional(),
    })
    .optional(),
  referral: z.object({ headline: z.string().optional(), source_url: z.string().optional() }).optional(),
  errors: z.array(errorSchema).optional(),
});

const changeValueSchema = z.object({
  messaging_product: z.string().optional(),
  metadata: z.object({ phone_number_id: z.string(), display_phone_number: z.string().optional() }),
  contacts: z
    .array(
      z.object({
        wa_id: z.string().optional(),
        user_id: z.string().optional(),
        profile: z.object({ name: z.string().optional() }).optional(),
      }),
    )
    .optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(errorSchema).optional(),
});

const entrySchema = z.object({
  id: z.string().optional(),
  changes: z.array(z.object({ field: z.string().optional(), value: z.unknown() })),
});

const statusSchema = z.object({
  id: z.string(),
  status: z.string(),
  timestamp: z.coerce.number(),
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  biz_opaque_callback_data: z.string().optional(),
  errors: z.array(errorSchema).optional(),
});

const mediaSchema = z.object({
  id: z.string(),
  mime_type: z.string(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});

// One schema per WhatsApp message type; the result is the relay's InboundContent.
const contentParsers: Record<string, (raw: Record<string, unknown>) => InboundContent> = {
  text: (raw) => ({ kind: 'text', body: z.object({ body: z.string() }).parse(raw.text).body }),
  image: (raw) => media('image', raw.image),
  audio: (raw) => media('audio', raw.audio),
  video: (raw) => media('video', raw.video),
  document: (raw) => media('document', raw.document),
  sticker: (raw) => media('sticker', raw.sticker),
  location: (raw) => {
    const location = z
      .object({
        latitude: z.coerce.number(),
        longitude: z.coerce.number(),
        name: z.string().optional(),
        address: z.string().optional(),
        url: z.string().optional(),
      })
      .parse(raw.location);
    return { kind: 'location', ...location };
  },
  contacts: (raw) => {
    const contacts = z
      .array(
        z.object({
          name: z
            .object({ formatted_name: z.string().optional(), first_name: z.string().optional() })
            .optional(),
          phones: z
            .array(z.object({ phone: z.string().optional(), wa_id: z.string().optional() }))
            .optional(),
          emails: z.array(z.object({ email: z.string().optional() })).optional(),
          org: z.object({ company: z.string().optional() }).optional(),
        }),
      )
      .min(1)
      .parse(raw.contacts);
    return {
      kind: 'contacts',
      contacts: contacts.map((contact) => ({
        name: contact.name?.formatted_name ?? contact.name?.first_name ?? 'Unnamed contact',
        phones: (contact.phones ?? []).flatMap((phone) => (phone.phone ? [phone.phone] : [])),
        emails: (contact.emails ?? []).flatMap((email) => (email.email ? [email.email] : [])),
        ...(contact.org?.company ? { organisation: contact.org.company } : {}),
      })),
    };
  },
  interactive: (raw) => {
    const interactive = z
      .object({
        type: z.string(),
        button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
        list_reply: z
          .object({ id: z.string(), title: z.string(), description: z.string().optional() })
          .optional(),
        nfm_reply: z
          .object({ name: z.string().optional(), body: z.string().optional(), response_json: z.string() })
          .optional(),
      })
      .parse(raw.interactive);
    const choice = interactive.button_reply ?? interactive.list_reply;
    if (choice) return { kind: 'choice', ...choice };
    if (interactive.nfm_reply) {
      return {
        kind: 'flow-reply',
        name: interactive.nfm_reply.name ?? 'flow',
        responseJson: interactive.nfm_reply.response_json,
        ...(interactive.nfm_reply.body ? { body: interactive.nfm_reply.body } : {}),
      };
    }
    return unsupported(`interactive/${interactive.type}`, 'this kind of interactive reply is not relayed');
  },
  button: (raw) => {
    const button = z.object({ text: z.string(), payload: z.string().optional() }).parse(raw.button);
    return { kind: 'button', ...button };
  },
  reaction: (raw) => {
    const reaction = z.object({ message_id: z.string(), emoji: z.string().optional() }).parse(raw.reaction);
    return {
      kind: 'reaction',
      targetMessageId: reaction.message_id,
      ...(reaction.emoji ? { emoji: reaction.emoji } : {}),
    };
  },
  order: (raw) => {
    const order = z
      .object({
        catalog_id: z.string(),
        text: z.string().optional(),
        product_items: z.array(
          z.object({
            product_retailer_id: z.string(),
            quantity: z.coerce.number(),
            item_price: z.coerce.number().optional(),
            currency: z.string().optional(),
          }),
        ),
      })
      .parse(raw.order);
    return {
      kind: 'order',
      catalogId: order.catalog_id,
      items: order.product_items.map((item) => ({
        productId: item.product_retailer_id,
        quantity: item.quantity,
        ...(item.item_price !== undefined ? { price: item.item_price } : {}),
        ...(item.currency ? { currency: item.currency } : {}),
      })),
      ...(order.text ? { text: order.text } : {}),
    };
  },
  system: (raw) => {
    const system = z.object({ body: z.string(), type: z.string().optional() }).parse(raw.system);
    return { kind: 'system', body: system.body, ...(system.type ? { systemType: system.type } : {}) };
  },
  request_welcome: () => ({ kind: 'request-welcome' }),
  unsupported: (raw) => {
    const errors = z.array(errorSchema).optional().parse(raw.errors);
    return unsupported(
      'unsupported',
      errors?.[0]?.error_data?.details ?? errors?.[0]?.title ?? 'unknown content',
    );
  },
};

function media(
  mediaKind: 'image' | 'audio' | 'video' | 'document' | 'sticker',
  raw: unknown,
): InboundContent {
  const parsed = mediaSchema.parse(raw);
  return {
    kind: 'media',
    mediaKind,
    mediaId: parsed.id,
    mimeType: parsed.mime_type,
    ...(parsed.caption ? { caption: parsed.caption } : {}),
    ...(parsed.filename ? { filename: parsed.filename } : {}),
    ...(parsed.voice !== undefined ? { voice: parsed.voice } : {}),
    ...(parsed.animated !== undefined ? { animated: parsed.animated } : {}),
  };
}

function unsupported(declaredType: string, reason: string): InboundContent {
  return { kind: 'unsupported', declaredType, reason };
}

/** Decodes an SQS record body. Throws MalformedEventError with a reason when it cannot. */
export function decodeWhatsAppWebhook(body: string): DecodedWebhook {
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

  const items: WebhookItem[] = [];
  for (const change of entry.changes) {
    if (change.field !== undefined && change.field !== 'messages') continue;
    const value = parseWith(changeValueSchema, change.value, 'ChangeInvalid');
    const registration = envelope.context.MetaPhoneNumberIds.find(
      (candidate) => candidate.metaPhoneNumberId === value.metadata.phone_number_id,
    );
    if (!registration) {
      items.push({ kind: 'unknown-business-number', metaPhoneNumberId: value.metadata.phone_number_id });
      continue;
    }
    const business: BusinessNumber = {
      phoneNumberId: phoneNumberIdFromArn(registration.arn),
      phoneNumberArn: registration.arn,
      metaPhoneNumberId: registration.metaPhoneNumberId,
      ...(value.metadata.display_phone_number
        ? { displayPhoneNumber: value.metadata.display_phone_number }
        : {}),
    };
    for (const raw of value.messages ?? [])
      items.push({ kind: 'message', message: decodeMessage(raw, value, business) });
    for (const raw of value.statuses ?? [])
      items.push({ kind: 'status', status: decodeStatus(raw, business) });
    for (const error of value.errors ?? [])
      items.push({ kind: 'webhook-error', business, error: toError(error) });
  }
  return {
    eventId: envelope.messageId ?? (notification.success ? notification.data.MessageId : 'unknown'),
    items,
  };
}

/** `arn:…:phone-number-id/abc123` → `phone-number-id-abc123`, the id SendWhatsAppMessage accepts. */
export function phoneNumberIdFromArn(arn: string): string {
  const suffix = arn.split(':').pop() ?? arn;
  return suffix.replace('/', '-');
}

function decodeMessage(
  raw: unknown,
  value: z.infer<typeof changeValueSchema>,
  business: BusinessNumber,
): InboundMessage {
  const base = parseWith(baseMessageSchema, raw, 'MessageInvalid');
  const customer = customerOf(base, value.contacts ?? []);
  const parser = contentParsers[base.type];
  let content: InboundContent;
  if (!parser) {
    content = unsupported(base.type, 'this WhatsApp message type is new to the relay');
  } else {
    const parsed = safely(() => parser(raw as Record<string, unknown>));
    content = parsed ?? unsupported(base.type, 'the message content was incomplete');
  }
  const replyTo = base.context?.id && base.type !== 'reaction' ? base.context.id : undefined;
  const forwarded = base.context?.forwarded === true || base.context?.frequently_forwarded === true;
  return {
    id: base.id,
    timestamp: base.timestamp,
    type: base.type,
    business,
    customer,
    content,
    ...(replyTo ? { replyToMessageId: replyTo } : {}),
    ...(forwarded ? { forwarded } : {}),
    ...(base.referral
      ? {
          referral: {
            ...(base.referral.headline ? { headline: base.referral.headline } : {}),
            ...(base.referral.source_url ? { sourceUrl: base.referral.source_url } : {}),
          },
        }
      : {}),
  };
}

function customerOf(
  message: z.infer<typeof baseMessageSchema>,
  contacts: NonNullable<z.infer<typeof changeValueSchema>['contacts']>,
): Customer {
  const contact =
    contacts.find(
      (candidate) =>
        (message.from !== undefined && candidate.wa_id === message.from) ||
        (message.from_user_id !== undefined && candidate.user_id === message.from_user_id),
    ) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const waId = message.from ?? contact?.wa_id;
  const userId = message.from_user_id ?? contact?.user_id;
  const id = waId ?? userId;
  if (!id) throw new MalformedEventError('Message has neither wa_id nor user_id', 'NoCustomerId');
  const profileName = contact?.profile?.name;
  return {
    id,
    ...(waId ? { waId } : {}),
    ...(userId ? { userId } : {}),
    ...(profileName ? { profileName } : {}),
  };
}

function decodeStatus(raw: unknown, business: BusinessNumber): MessageStatus {
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

function toError(error: z.infer<typeof errorSchema>): WhatsAppError {
  const details = error.error_data?.details ?? error.message;
  return {
    code: error.code,
    ...(error.title ? { title: error.title } : {}),
    ...(details ? { details } : {}),
  };
}

function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

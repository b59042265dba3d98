import type { WhatsAppInteractive } from './interactive-to-whatsapp.js';

/**
 * WhatsApp Cloud API message bodies, as SendWhatsAppMessage passes them to Meta.
 * `biz_opaque_callback_data` is echoed back by Meta in status webhooks, which is how a delivery or
 * read receipt finds the Connect message it belongs to without trusting id formats.
 */
export type WhatsAppPayload = Record<string, unknown>;

export const WHATSAPP_TEXT_LIMIT = 4096;

interface Recipient {
  /** E.164 phone number when known. */
  readonly phoneNumber?: string;
  /** Business-scoped user id, for customers whose number WhatsApp withholds. */
  readonly userId?: string;
}

function addressed(recipient: Recipient): WhatsAppPayload {
  if (recipient.phoneNumber) return { to: recipient.phoneNumber };
  if (recipient.userId) return { recipient: recipient.userId };
  throw new Error('Recipient has neither a phone number nor a user id');
}

function base(recipient: Recipient, callbackData?: string): WhatsAppPayload {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...addressed(recipient),
    ...(callbackData ? { biz_opaque_callback_data: callbackData } : {}),
  };
}

export function textPayload(recipient: Recipient, body: string, callbackData?: string): WhatsAppPayload {
  return { ...base(recipient, callbackData), type: 'text', text: { preview_url: true, body } };
}

export function interactivePayload(
  recipient: Recipient,
  interactive: Exclude<WhatsAppInteractive, { kind: 'text' }>,
  callbackData?: string,
): WhatsAppPayload {
  const action =
    interactive.kind === 'buttons'
      ? {
          buttons: interactive.options.map((option) => ({
            type: 'reply',
            reply: { id: option.id, title: option.title },
          })),
        }
      : {
          button: interactive.buttonLabel,
          sections: [
            {
              rows: interactive.options.map((option) => ({
                id: option.id,
                title: option.title,
                ...(option.description ? { description: option.description } : {}),
              })),
            },
          ],
        };
  return {
    ...base(recipient, callbackData),
    type: 'interactive',
    interactive: {
      type: interactive.kind === 'buttons' ? 'button' : 'list',
      body: { text: interactive.body },
      action,
    },
  };
}

export type WhatsAppMediaType = 'image' | 'video' | 'audio' | 'document';

/** WhatsApp's media type for a MIME type; anything it cannot show inline goes as a document. */
export function mediaTypeFor(mimeType: string): WhatsAppMediaType {
  const type = mimeType.toLowerCase().split(';')[0]?.trim() ?? '';
  if (type === 'image/jpeg' || type === 'image/png') return 'image';
  if (type === 'video/mp4' || type === 'video/3gpp') return 'video';
  if (['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'].includes(type)) return 'audio';
  return 'document';
}

export function mediaPayload(
  recipient: Recipient,
  media: { link: string; mimeType: string; filename: string; caption?: string },
  callbackData?: string,
): WhatsAppPayload {
  const type = mediaTypeFor(media.mimeType);
  const object: Record<string, string> = { link: media.link };
  if (type === 'document') object.filename = media.filename;
  if (media.caption && type !== 'audio') object.caption = media.caption;
  return { ...base(recipient, callbackData), type, [type]: object };
}

/** Marks a customer message read (blue ticks), optionally showing "typing…" for up to 25 s. */
export function readReceiptPayload(whatsAppMessageId: string, withTypingIndicator: boolean): WhatsAppPayload {
  return {
    messaging_product: 'whatsapp',
    status: 'read',
    message_id: whatsAppMessageId,
    ...(withTypingIndicator ? { typing_indicator: { type: 'text' } } : {}),
  };
}

/**
 * Callback data linking a WhatsApp send to the Connect item it came from, and when the agent sent
 * it, so a failed status can name the message even when no ledger record matches its id.
 */
export function callbackDataFor(connectItemId: string, initialContactId: string, sentAt?: number): string {
  const time = sentAt === undefined ? '' : `|${Math.floor(sentAt / 1000).toString(36)}`;
  return `wcr1|${connectItemId}|${initialContactId}${time}`;
}

/** Reads callback data written by `callbackDataFor` (with or without the time); undefined for anything else. */
export function parseCallbackData(
  value: string | undefined,
): { connectItemId: string; initialContactId: string; sentAt?: number } | undefined {
  const [version, connectItemId, initialContactId, time] = value?.split('|') ?? [];
  if (version !== 'wcr1' || !connectItemId || !initialContactId) return undefined;
  const seconds = time ? Number.parseInt(time, 36) : Number.NaN;
  return Number.isFinite(seconds)
    ? { connectItemId, initialContactId, sentAt: seconds * 1000 }
    : { connectItemId, initialContactId };
}

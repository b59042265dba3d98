import { readFileSync } from 'node:fs';
import type { FakeWhatsApp } from '../test/support/fake-whatsapp.js';
import type { FakeWhatsAppMedia } from '../test/support/fake-whatsapp-media.js';
import { eumEnvelope, wamid } from '../test/support/whatsapp-events.js';
import type { Pipeline } from './pipeline.js';

/** A WhatsApp customer on the phone: a number, or a username-only customer (a BSUID and no number). */
export interface PhoneCustomer {
  readonly name: string;
  readonly waId?: string;
  readonly userId?: string;
}

/** What the phone pane can send; each becomes one Meta webhook message. */
export type PhoneAction =
  | { readonly type: 'text'; readonly text: string; readonly replyTo?: string }
  | {
      readonly type: 'file';
      readonly name: string;
      readonly mimeType: string;
      readonly base64: string;
      readonly caption?: string;
    }
  | { readonly type: 'voice' }
  | { readonly type: 'location' }
  | { readonly type: 'contact' }
  | { readonly type: 'reaction'; readonly messageId: string; readonly emoji: string }
  | {
      readonly type: 'tap';
      readonly messageId: string;
      readonly optionId: string;
      readonly title: string;
      readonly list: boolean;
    };

/** A customer's own message, with the ticks WhatsApp would show them. */
export interface PhoneMessage {
  readonly id: string;
  readonly at: number;
  readonly summary: string;
}

const VOICE_NOTE = 'test/fixtures/voice-note.ogg';

/**
 * The customer's side of WhatsApp: turns what the builder does on the phone pane into the
 * webhooks EUM Social publishes (messages, and statuses for the business's messages), and reads
 * what the business sent from the EUM fake.
 */
export class Phone {
  readonly sentByCustomer = new Map<string, PhoneMessage[]>();
  private readonly acknowledged = new Set<string>();
  private mediaSequence = 0;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly whatsApp: FakeWhatsApp,
    private readonly media: FakeWhatsAppMedia,
  ) {}

  /** Sends one customer message through EUM Social's webhook; returns its wamid. */
  send(customer: PhoneCustomer, action: PhoneAction): string {
    const id = wamid();
    const base = {
      ...(customer.waId ? { from: customer.waId } : {}),
      ...(customer.userId ? { from_user_id: customer.userId } : {}),
      id,
      timestamp: String(Math.floor(Date.now() / 1000)),
    };
    const { content, summary } = this.content(action);
    const message = { ...base, ...content };
    const contact = {
      profile: { name: customer.name },
      ...(customer.waId ? { wa_id: customer.waId } : {}),
      ...(customer.userId ? { user_id: customer.userId } : {}),
    };
    this.pipeline.publishInbound(eumEnvelope({ messages: [message], contacts: [contact] }));
    const key = customerKey(customer);
    const list = this.sentByCustomer.get(key) ?? [];
    list.push({ id, at: Date.now(), summary });
    this.sentByCustomer.set(key, list);
    return id;
  }

  /**
   * The business's sends to this customer, as their phone shows them. Each new one is answered
   * with Meta's `delivered` and then `read` statuses (the customer has the chat open).
   */
  businessMessages(customer: PhoneCustomer): { messageId: string; payload: Record<string, unknown> }[] {
    const mine = this.whatsApp.sent.filter(
      (sent) => isFor(sent.payload, customer) && typeof sent.payload.type === 'string',
    );
    for (const sent of mine) {
      if (this.acknowledged.has(sent.messageId)) continue;
      this.acknowledged.add(sent.messageId);
      for (const status of ['delivered', 'read']) {
        this.pipeline.publishInbound(
          eumEnvelope({
            statuses: [
              {
                id: `wamid.OUT.${sent.messageId}`,
                status,
                timestamp: String(Math.floor(Date.now() / 1000)),
                ...(customer.waId ? { recipient_id: customer.waId } : {}),
                ...(customer.userId ? { recipient_user_id: customer.userId } : {}),
                ...(typeof sent.payload.biz_opaque_callback_data === 'string'
                  ? { biz_opaque_callback_data: sent.payload.biz_opaque_callback_data }
                  : {}),
              },
            ],
            contacts: [],
          }),
        );
      }
    }
    return mine.map((sent) => ({ messageId: sent.messageId, payload: sent.payload }));
  }

  /** The customer's messages the business marked read (blue ticks), and whether it is typing. */
  readState(): { read: Set<string>; typingSince: number | undefined } {
    const read = new Set<string>();
    let typingSince: number | undefined;
    this.whatsApp.sent.forEach((sent, index) => {
      if (sent.payload.status !== 'read') return;
      if (typeof sent.payload.message_id === 'string') read.add(sent.payload.message_id);
      if (sent.payload.typing_indicator) typingSince = index;
    });
    return { read, typingSince };
  }

  private content(action: PhoneAction): { content: Record<string, unknown>; summary: string } {
    switch (action.type) {
      case 'text':
        return {
          content: {
            type: 'text',
            text: { body: action.text },
            ...(action.replyTo ? { context: { from: '15550001111', id: action.replyTo } } : {}),
          },
          summary: action.text,
        };
      case 'file': {
        const kind = action.mimeType.startsWith('image/') ? 'image' : 'document';
        const mediaId = this.addMedia(action.mimeType, Buffer.from(action.base64, 'base64'));
        return {
          content: {
            type: kind,
            [kind]: {
              id: mediaId,
              mime_type: action.mimeType,
              sha256: 'bm90LWNoZWNrZWQ=',
              ...(kind === 'document' ? { filename: action.name } : {}),
              ...(action.caption ? { caption: action.caption } : {}),
            },
          },
          summary: `${kind === 'image' ? '📷' : '📄'} ${action.name}`,
        };
      }
      case 'voice': {
        const mediaId = this.addMedia('audio/ogg; codecs=opus', readFileSync(VOICE_NOTE));
        return {
          content: {
            type: 'audio',
            audio: {
              id: mediaId,
              mime_type: 'audio/ogg; codecs=opus',
              sha256: 'bm90LWNoZWNrZWQ=',
              voice: true,
            },
          },
          summary: '🎤 Voice note',
        };
      }
      case 'location':
        return {
          content: {
            type: 'location',
            location: {
              latitude: 51.5072,
              longitude: -0.1276,
              name: 'Home',
              address: '10 Example Street, London',
            },
          },
          summary: '📍 Home, 10 Example Street, London',
        };
      case 'contact':
        return {
          content: {
            type: 'contacts',
            contacts: [
              {
                name: { formatted_name: 'Jo Bloggs', first_name: 'Jo', last_name: 'Bloggs' },
                phones: [{ phone: '+44 7700 900999', wa_id: '447700900999', type: 'CELL' }],
              },
            ],
          },
          summary: '👤 Jo Bloggs',
        };
      case 'reaction':
        return {
          content: { type: 'reaction', reaction: { message_id: action.messageId, emoji: action.emoji } },
          summary: `Reacted ${action.emoji}`,
        };
      case 'tap':
        return {
          content: {
            type: 'interactive',
            context: { from: '15550001111', id: action.messageId },
            interactive: action.list
              ? { type: 'list_reply', list_reply: { id: action.optionId, title: action.title } }
              : { type: 'button_reply', button_reply: { id: action.optionId, title: action.title } },
          },
          summary: action.title,
        };
    }
  }

  private addMedia(mimeType: string, bytes: Uint8Array): string {
    this.mediaSequence += 1;
    const mediaId = `${9_000_000_000 + this.mediaSequence}`;
    this.media.addFile(mediaId, { mimeType, bytes });
    return mediaId;
  }
}

/** One key per customer: the BSUID when they have one, else the number. */
export function customerKey(customer: PhoneCustomer): string {
  return customer.userId ?? customer.waId ?? '';
}

function isFor(payload: Record<string, unknown>, customer: PhoneCustomer): boolean {
  const digits = (value: unknown) => String(value ?? '').replace(/\D/g, '');
  if (customer.waId && payload.to !== undefined && digits(payload.to) === digits(customer.waId)) return true;
  return customer.userId !== undefined && payload.recipient === customer.userId;
}

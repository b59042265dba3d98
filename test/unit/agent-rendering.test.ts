import { describe, expect, it } from 'vitest';
import { renderForAgent } from '../../shared/domain/agent-rendering.js';
import type { InboundContent, InboundMessage } from '../../shared/domain/inbound-message.js';
import { BUSINESS } from '../support/whatsapp-events.js';

function message(content: InboundContent, extra: Partial<InboundMessage> = {}): InboundMessage {
  return {
    id: 'wamid.1',
    timestamp: 1_762_827_867,
    type: content.kind,
    business: { ...BUSINESS },
    customer: { id: '447700900123', waId: '447700900123' },
    content,
    ...extra,
  };
}

const render = (content: InboundContent, extra?: Partial<InboundMessage>) =>
  renderForAgent(message(content, extra));

describe('renderForAgent: what the agent reads for each WhatsApp type', () => {
  it('text as it was written', () => {
    expect(render({ kind: 'text', body: 'Olá, tudo bem?\nSecond line' })).toBe('Olá, tudo bem?\nSecond line');
  });

  it('photo, video and document with label, file name and caption', () => {
    expect(
      render({ kind: 'media', mediaKind: 'image', mediaId: '1', mimeType: 'image/jpeg', caption: 'crushed' }),
    ).toBe('📷 Photo: crushed');
    expect(render({ kind: 'media', mediaKind: 'video', mediaId: '2', mimeType: 'video/mp4' })).toBe(
      '🎬 Video',
    );
    expect(
      render({
        kind: 'media',
        mediaKind: 'document',
        mediaId: '3',
        mimeType: 'application/pdf',
        filename: 'invoice.pdf',
        caption: 'as promised',
      }),
    ).toBe('📄 Document invoice.pdf: as promised');
  });

  it('voice notes and other audio are told apart', () => {
    expect(
      render({
        kind: 'media',
        mediaKind: 'audio',
        mediaId: '4',
        mimeType: 'audio/ogg; codecs=opus',
        voice: true,
      }),
    ).toBe('🎤 Voice message');
    expect(render({ kind: 'media', mediaKind: 'audio', mediaId: '5', mimeType: 'audio/ogg' })).toBe(
      '🎤 Audio',
    );
  });

  it('a sticker, and why the agent will not see it', () => {
    expect(
      render({ kind: 'media', mediaKind: 'sticker', mediaId: '6', mimeType: 'image/webp', animated: true }),
    ).toBe('🙂 Sticker\n⚠ Not attached: Connect chat cannot show WhatsApp stickers (WebP images).');
  });

  it('a file type Connect refuses, and what to ask the customer for', () => {
    expect(
      render({
        kind: 'media',
        mediaKind: 'document',
        mediaId: '7',
        mimeType: 'application/zip',
        filename: 'photos.zip',
      }),
    ).toBe(
      '📄 Document photos.zip\n⚠ Not attached: Connect chat does not accept this file type (application/zip, photos.zip). Ask the customer to send it as a PDF, an image or an Office document.',
    );
  });

  it('location with place, maps link and the customer’s link', () => {
    expect(
      render({
        kind: 'location',
        latitude: 51.5072,
        longitude: -0.1276,
        name: 'Home',
        address: '10 Example St',
        url: 'https://example.com/place',
      }),
    ).toBe(
      '📍 Location: Home, 10 Example St\nhttps://maps.google.com/?q=51.5072,-0.1276\nhttps://example.com/place',
    );
    expect(render({ kind: 'location', latitude: 1, longitude: 2 })).toBe(
      '📍 Location\nhttps://maps.google.com/?q=1,2',
    );
  });

  it('shared contacts, one per line', () => {
    expect(
      render({
        kind: 'contacts',
        contacts: [
          {
            name: 'Jo Bloggs',
            phones: ['+44 7700 900999'],
            emails: ['jo@example.com'],
            organisation: 'Acme',
          },
          { name: 'Sam', phones: [], emails: [] },
        ],
      }),
    ).toBe('👤 Contact: Jo Bloggs — +44 7700 900999, jo@example.com, Acme\n👤 Contact: Sam');
  });

  it('button and list choices, template button taps', () => {
    expect(render({ kind: 'choice', id: 'r2', title: 'Refund', description: 'Money back' })).toBe(
      '☑ Chose: Refund (Money back)',
    );
    expect(render({ kind: 'choice', id: 'yes', title: 'Yes' })).toBe('☑ Chose: Yes');
    expect(render({ kind: 'button', text: 'Track order', payload: 'TRACK' })).toBe('☑ Tapped: Track order');
  });

  it('flow replies with their answers', () => {
    expect(render({ kind: 'flow-reply', name: 'flow', body: 'Sent', responseJson: '{"rating":"5"}' })).toBe(
      '📝 Form submitted: Sent\n{"rating":"5"}',
    );
  });

  it('reactions and removed reactions, never as a reply', () => {
    expect(
      render({ kind: 'reaction', targetMessageId: 'wamid.x', emoji: '👍' }, { replyToMessageId: 'wamid.x' }),
    ).toBe('Reacted 👍 to a message');
    expect(render({ kind: 'reaction', targetMessageId: 'wamid.x' })).toBe(
      'Removed a reaction from a message',
    );
  });

  it('orders with items, prices and note', () => {
    expect(
      render({
        kind: 'order',
        catalogId: 'cat-1',
        items: [
          { productId: 'sku-1', quantity: 2, price: 9.99, currency: 'EUR' },
          { productId: 'sku-2', quantity: 1 },
        ],
        text: 'asap',
      }),
    ).toBe('🛒 Order from catalogue cat-1\n• 2 × sku-1 @ 9.99 EUR\n• 1 × sku-2\nasap');
  });

  it('system notices, first contact, and unsupported content', () => {
    expect(render({ kind: 'system', body: 'User changed number' })).toBe(
      'ℹ WhatsApp notice: User changed number',
    );
    expect(render({ kind: 'request-welcome' })).toBe('ℹ The customer opened the chat for the first time.');
    expect(render({ kind: 'unsupported', declaredType: 'hologram', reason: 'new type' })).toBe(
      '⚠ The customer sent a message WhatsApp could not show here (hologram): new type. Ask them to resend it as text.',
    );
  });

  it('prefixes forwards, replies and ads, in that order', () => {
    expect(
      render(
        { kind: 'text', body: 'hi' },
        {
          forwarded: true,
          replyToMessageId: 'wamid.q',
          referral: { headline: 'Winter sale', sourceUrl: 'https://fb.me/ad' },
        },
      ),
    ).toBe('↪ Forwarded\n↩ Reply to an earlier message\n📣 From ad: Winter sale — https://fb.me/ad\nhi');
    expect(render({ kind: 'text', body: 'hi' }, { referral: {} })).toBe('hi');
  });
});

import { planAttachment } from './connect-attachments.js';
import type { InboundContent, InboundMessage, SharedContact } from './inbound-message.js';

/**
 * Renders a customer's WhatsApp message as the plain text an agent reads in Connect.
 * Connect chat over the participant API takes text/plain only, so every WhatsApp type is turned
 * into words that keep its meaning: a location becomes an address and a maps link, a shared
 * contact becomes a name and numbers, a reaction says what was reacted to.
 *
 * Media are described here; the bytes travel separately as a Connect attachment. A file Connect
 * cannot take (a sticker, an MP3) says so in this line, so the agent knows what arrived.
 */
export function renderForAgent(message: InboundMessage): string {
  const lines: string[] = [];
  if (message.forwarded) lines.push('↪ Forwarded');
  if (message.replyToMessageId && message.content.kind !== 'reaction')
    lines.push('↩ Reply to an earlier message');
  if (message.referral?.headline || message.referral?.sourceUrl) {
    lines.push(
      `📣 From ad: ${[message.referral.headline, message.referral.sourceUrl].filter(Boolean).join(' — ')}`,
    );
  }
  lines.push(renderContent(message.content));
  return lines.join('\n');
}

function renderContent(content: InboundContent): string {
  switch (content.kind) {
    case 'text':
      return content.body;
    case 'media':
      return renderMedia(content);
    case 'location': {
      const place = [content.name, content.address].filter(Boolean).join(', ');
      const maps = `https://maps.google.com/?q=${content.latitude},${content.longitude}`;
      return `📍 Location${place ? `: ${place}` : ''}\n${maps}${content.url ? `\n${content.url}` : ''}`;
    }
    case 'contacts':
      return content.contacts.map(renderContact).join('\n');
    case 'choice':
      return `☑ Chose: ${content.title}${content.description ? ` (${content.description})` : ''}`;
    case 'button':
      return `☑ Tapped: ${content.text}`;
    case 'flow-reply':
      return `📝 Form submitted${content.body ? `: ${content.body}` : ''}\n${content.responseJson}`;
    case 'reaction':
      return content.emoji ? `Reacted ${content.emoji} to a message` : 'Removed a reaction from a message';
    case 'order': {
      const items = content.items.map(
        (item) =>
          `• ${item.quantity} × ${item.productId}${item.price !== undefined ? ` @ ${item.price} ${item.currency ?? ''}`.trimEnd() : ''}`,
      );
      return [
        `🛒 Order from catalogue ${content.catalogId}`,
        ...items,
        ...(content.text ? [content.text] : []),
      ].join('\n');
    }
    case 'system':
      return `ℹ WhatsApp notice: ${content.body}`;
    case 'request-welcome':
      return 'ℹ The customer opened the chat for the first time.';
    case 'unsupported':
      return `⚠ The customer sent a message WhatsApp could not show here (${content.declaredType}): ${content.reason}. Ask them to resend it as text.`;
  }
}

const MEDIA_LABELS = {
  image: '📷 Photo',
  video: '🎬 Video',
  audio: '🎤 Audio',
  document: '📄 Document',
  sticker: '🙂 Sticker',
} as const;

function renderMedia(content: Extract<InboundContent, { kind: 'media' }>): string {
  const label =
    content.mediaKind === 'audio' && content.voice ? '🎤 Voice message' : MEDIA_LABELS[content.mediaKind];
  const name = content.filename ? ` ${content.filename}` : '';
  const line = `${label}${name}${content.caption ? `: ${content.caption}` : ''}`;
  const plan = planAttachment(content);
  return plan.action === 'skip' ? `${line}\n⚠ ${plan.note}` : line;
}

function renderContact(contact: SharedContact): string {
  const details = [
    ...contact.phones,
    ...contact.emails,
    ...(contact.organisation ? [contact.organisation] : []),
  ];
  return `👤 Contact: ${contact.name}${details.length ? ` — ${details.join(', ')}` : ''}`;
}

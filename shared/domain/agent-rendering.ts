import { planAttachment } from './connect-attachments.js';
import { quoteExcerpt, neutraliseNoticeMarker as said } from './customer-text.js';
import { renderFormAnswers } from './form-answers.js';
import type { InboundContent, InboundMessage, SharedContact } from './inbound-message.js';

/** What the relay knows beyond the message itself. */
export interface RenderContext {
  /** The text of the message this one replies or reacts to, when the relay relayed it. */
  readonly quoted?: string;
}

/**
 * Renders a customer's WhatsApp message as the plain text an agent reads in Connect.
 * Connect chat over the participant API takes text/plain only, so every WhatsApp type is turned
 * into words that keep its meaning: a location becomes an address and a maps link, a shared
 * contact becomes a name and numbers, a reaction says what was reacted to.
 *
 * Every string the customer (or their WhatsApp client) provided goes through `said`, which makes
 * the relay's notice marker visibly different, so a customer cannot forge a relay notice.
 *
 * Media are described here; the bytes travel separately as a Connect attachment. A file Connect
 * cannot take (a sticker, an MP3) says so in this line, so the agent knows what arrived.
 */
export function renderForAgent(message: InboundMessage, context: RenderContext = {}): string {
  const { content } = message;
  // A tap on a reply button or list row is sent as the bare title, as Connect's own chat widget
  // does: contact flows and Lex bots branch on that text, and no prefix line may stand before it.
  if (content.kind === 'choice') return said(content.title);
  const quoted = context.quoted?.trim() ? `"${quoteExcerpt(context.quoted)}"` : undefined;
  const lines: string[] = [];
  if (message.forwarded) lines.push('↪ Forwarded');
  if (message.replyToMessageId && content.kind !== 'reaction')
    lines.push(quoted ? `↩ Reply to ${quoted}` : '↩ Reply to an earlier message');
  if (message.referral?.headline || message.referral?.sourceUrl) {
    const ad = [message.referral.headline, message.referral.sourceUrl].filter(Boolean).join(' — ');
    lines.push(`📣 From ad: ${said(ad)}`);
  }
  lines.push(renderContent(content, quoted ?? 'a message'));
  return lines.join('\n');
}

function renderContent(content: Exclude<InboundContent, { kind: 'choice' }>, target: string): string {
  switch (content.kind) {
    case 'text':
      return said(content.body);
    case 'media':
      return renderMedia(content);
    case 'location': {
      const place = said([content.name, content.address].filter(Boolean).join(', '));
      const maps = `https://maps.google.com/?q=${content.latitude},${content.longitude}`;
      return `📍 Location${place ? `: ${place}` : ''}\n${maps}${content.url ? `\n${said(content.url)}` : ''}`;
    }
    case 'contacts':
      return content.contacts.map(renderContact).join('\n');
    case 'button':
      // A template's quick-reply button: bots do not consume these, so the tap keeps a marker.
      return `☑ Tapped: ${said(content.text)}`;
    case 'flow-reply':
      return [
        `📝 Form submitted${content.body ? `: ${said(content.body)}` : ''}`,
        ...renderFormAnswers(content.answers),
      ].join('\n');
    case 'reaction':
      return content.emoji
        ? `Reacted ${said(content.emoji)} to ${target}`
        : `Removed a reaction from ${target}`;
    case 'order': {
      const items = content.items.map(
        (item) =>
          `• ${item.quantity} × ${said(item.productId)}${item.price !== undefined ? ` @ ${item.price} ${said(item.currency ?? '')}`.trimEnd() : ''}`,
      );
      return [
        `🛒 Order from catalogue ${said(content.catalogId)}`,
        ...items,
        ...(content.text ? [said(content.text)] : []),
      ].join('\n');
    }
    case 'system':
      return `ℹ WhatsApp notice: ${said(content.body)}`;
    case 'request-welcome':
      return 'ℹ The customer opened the chat for the first time.';
    case 'unsupported':
      return `⚠ The customer sent a message WhatsApp could not show here (${said(content.declaredType)}): ${sentence(said(content.reason))} Ask them to resend it as text.`;
  }
}

/** A reason as one sentence: Meta's explanations sometimes end with a full stop, sometimes not. */
function sentence(text: string): string {
  return `${text.trim().replace(/[.!?。…\s]+$/u, '')}.`;
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
  const name = content.filename ? ` ${said(content.filename)}` : '';
  const line = `${label}${name}${content.caption ? `: ${said(content.caption)}` : ''}`;
  const plan = planAttachment(content);
  return plan.action === 'skip' ? `${line}\n⚠ ${said(plan.note)}` : line;
}

function renderContact(contact: SharedContact): string {
  const details = [
    ...contact.phones,
    ...contact.emails,
    ...(contact.organisation ? [contact.organisation] : []),
  ];
  return `👤 Contact: ${said(contact.name)}${details.length ? ` — ${said(details.join(', '))}` : ''}`;
}

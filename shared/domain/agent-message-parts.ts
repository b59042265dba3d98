import { renderForAgent } from './agent-rendering.js';
import { quoteExcerpt } from './customer-text.js';
import type { InboundMessage } from './inbound-message.js';
import { splitText } from './text-splitting.js';

/** Connect's participant SendMessage limit for text/plain (botocore connectparticipant, SendMessage.Content). */
export const CONNECT_MAX_MESSAGE_LENGTH = 1024;

/** What goes in when a message renders to nothing: Connect refuses empty content (minimum 1). */
export const EMPTY_MESSAGE_TEXT = '(The customer sent an empty message.)';

/** The text the agent reads, in parts Connect accepts; never an empty part. */
export function partsFor(message: InboundMessage, quoted: string | undefined): string[] {
  const rendered = renderForAgent(message, quoted ? { quoted } : {});
  const parts = splitText(rendered, CONNECT_MAX_MESSAGE_LENGTH).filter((part) => part.trim());
  return parts.length > 0 ? parts : [EMPTY_MESSAGE_TEXT];
}

/** What a later reply or reaction quotes: the message's own content, without reply or forward lines. */
export function previewOf(message: InboundMessage): string {
  const { replyToMessageId: _reply, forwarded: _forwarded, referral: _referral, ...content } = message;
  return quoteExcerpt(renderForAgent(content));
}

import type { WhatsAppError } from './inbound-message.js';

/**
 * What the agent reads in the chat when WhatsApp did not get a message. Notices go into the chat
 * through the customer's connection, so each is marked, at the start, as the relay's words and not
 * the customer's.
 */
export const NOTICE_PREFIX = '⚠ [WhatsApp relay notice — not from the customer]';

const WINDOW_ADVICE =
  "the customer's 24-hour window has closed; send an approved template from the WhatsApp guide";

/** At most this many characters of a message are kept to name it in a notice. */
export const PREVIEW_LIMIT = 40;

/** Which message a notice means: its first words (when known) and when it was sent (epoch ms). */
export interface MessageReference {
  readonly preview?: string;
  readonly sentAt?: number;
}

/**
 * The first words of a message, to name it in a later notice: at most 40 characters, cut on a
 * word boundary. Customer-facing text: stored with the send record, never logged.
 */
export function messagePreview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= PREVIEW_LIMIT) return flat;
  const cut = flat.slice(0, PREVIEW_LIMIT - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > 0 ? cut.slice(0, lastSpace) : cut).replace(/[\s,.;:!?-]+$/, '')}…`;
}

export function windowClosedNotice(): string {
  return `${NOTICE_PREFIX} Not delivered to WhatsApp: ${WINDOW_ADVICE}.`;
}

/** The notice for a failed status, by Meta error code, naming the message it is about. */
export function failedDeliveryNotice(error: WhatsAppError | undefined, message: MessageReference): string {
  return `${NOTICE_PREFIX} ${describe(message)} was not delivered to WhatsApp: ${reasonFor(error)}.`;
}

/** The notice for a send that AWS or Meta refused outright (not a WhatsApp status). */
export function sendRejectedNotice(message: MessageReference, metaErrorCode?: number): string {
  const reason = metaErrorCode === undefined ? 'WhatsApp refused it' : reasonFor({ code: metaErrorCode });
  return `${NOTICE_PREFIX} ${describe(message)} was not delivered to WhatsApp: ${reason}.`;
}

/** The notice for an agent attachment WhatsApp cannot take, with what to send instead. */
export function attachmentRefusedNotice(fileName: string, advice: string): string {
  return `${NOTICE_PREFIX} Your file "${fileName}" was not sent to WhatsApp: ${advice}.`;
}

/** The notice for an agent attachment that Connect's scan rejected or did not finish checking. */
export function attachmentScanNotice(fileName: string, verdict: 'rejected' | 'unfinished'): string {
  const reason =
    verdict === 'rejected'
      ? "Connect's attachment scan rejected it"
      : "Connect's attachment scan did not finish in time; send it again";
  return `${NOTICE_PREFIX} Your file "${fileName}" was not sent to WhatsApp: ${reason}.`;
}

function describe(message: MessageReference): string {
  const quoted = message.preview ? ` "${message.preview}"` : '';
  const time = message.sentAt ? ` from ${new Date(message.sentAt).toISOString().slice(11, 16)} UTC` : '';
  return quoted || time ? `Your message${quoted}${time}` : 'A message';
}

function reasonFor(error: WhatsAppError | undefined): string {
  if (!error) return 'WhatsApp gave no reason';
  switch (error.code) {
    case 131047:
      return WINDOW_ADVICE;
    case 131026:
      return 'this number cannot receive it (not on WhatsApp, terms not accepted, or an old app)';
    case 130429:
      return "WhatsApp's sending rate limit was reached; resend it in a minute";
    case 131056:
      return 'too many messages to this customer in a short time; wait a moment and resend';
    case 131048:
      return 'WhatsApp limited messages from this number as possible spam; wait before resending';
    case 131052:
    case 131053:
      return 'the attachment could not be processed (type or size not accepted by WhatsApp)';
    case 131051:
      return 'WhatsApp does not support this kind of message';
    case 131050:
      return 'the customer has opted out of marketing messages';
    case 131049:
      return 'WhatsApp limited marketing messages to this customer; try again after 24 hours';
    // A business-scoped user id (BSUID) recipient: the customer uses a WhatsApp username and their
    // number is hidden; some messages (e.g. authentication templates) need the number. Meta,
    // "Business-scoped user IDs" (api-facts Z5).
    case 131062:
      return "the customer's phone number is not visible to the business, and this kind of message needs it; ask the customer to share it, or reply in the chat with a normal message";
    default:
      return `WhatsApp error ${error.code}${error.title ? ` (${error.title})` : ''}`;
  }
}

/** Told to the agent when a returning customer's chat had to start without the earlier history. */
export function historyNotAttachedNotice(): string {
  return `${NOTICE_PREFIX} This chat started without the customer's earlier messages: Connect would not continue their previous chat. Scroll back in Contact search for the history.`;
}

/**
 * The notice after a customer's marketing keyword (shared/domain/marketing-consent.ts): what they
 * chose, and, when they had stopped marketing messages in WhatsApp itself, that it still holds.
 */
export function marketingKeywordNotice(
  choice: 'opted-out' | 'opted-in',
  outcome: 'recorded' | 'kept-whatsapp-opt-out',
): string {
  if (choice === 'opted-out') {
    return `${NOTICE_PREFIX} The customer asked to stop marketing messages (their last message)${
      outcome === 'recorded' ? '' : '; they had already stopped them in WhatsApp'
    }. The guide will not send them marketing templates; utility templates still go.`;
  }
  return outcome === 'recorded'
    ? `${NOTICE_PREFIX} The customer asked for marketing messages again (their last message). Marketing templates can be sent again.`
    : `${NOTICE_PREFIX} The customer asked for marketing messages again, but they stopped them in WhatsApp itself: marketing templates stay blocked until they resume them there.`;
}

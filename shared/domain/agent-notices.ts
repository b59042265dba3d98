import type { WhatsAppError } from './inbound-message.js';

/**
 * What the agent reads in the chat when WhatsApp did not get a message. Notices go into the chat
 * through the customer's connection, so each is marked, at the start, as the relay's words and not
 * the customer's.
 */
export const NOTICE_PREFIX = '⚠ [WhatsApp relay notice — not from the customer]';

const WINDOW_ADVICE =
  "the customer's 24-hour window has closed; send an approved template from the WhatsApp guide";

export function windowClosedNotice(): string {
  return `${NOTICE_PREFIX} Not delivered to WhatsApp: ${WINDOW_ADVICE}.`;
}

/** The notice for a failed status, by Meta error code. */
export function failedDeliveryNotice(error: WhatsAppError | undefined, sentAt?: number): string {
  const which = sentAt
    ? ` Your message from ${new Date(sentAt).toISOString().slice(11, 16)} UTC`
    : ' A message';
  return `${NOTICE_PREFIX}${which} was not delivered to WhatsApp: ${reasonFor(error)}.`;
}

/** The notice for a send that AWS refused outright (not a WhatsApp status). */
export function sendRejectedNotice(reason: string): string {
  return `${NOTICE_PREFIX} Not delivered to WhatsApp: ${reason}.`;
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
    case 131052:
    case 131053:
      return 'the attachment could not be processed (type or size not accepted by WhatsApp)';
    case 131051:
      return 'WhatsApp does not support this kind of message';
    case 131050:
      return 'the customer has opted out of marketing messages';
    case 131049:
      return 'WhatsApp limited marketing messages to this customer; try again after 24 hours';
    default:
      return `WhatsApp error ${error.code}${error.title ? ` (${error.title})` : ''}`;
  }
}

/** Told to the agent when a returning customer's chat had to start without the earlier history. */
export function historyNotAttachedNotice(): string {
  return `${NOTICE_PREFIX} This chat started without the customer's earlier messages: Connect would not continue their previous chat. Scroll back in Contact search for the history.`;
}

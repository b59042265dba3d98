import { type ConversationKey, conversationKeyString } from './conversation.js';
import type { InboundMessage } from './inbound-message.js';
import { matchWholePhrase, type PhraseSet, phraseSet } from './phrase-match.js';
import { idempotencyToken } from './tokens.js';

/**
 * When a customer's message asks for a voice call, and the identity of that call. Matching is
 * phrase-match.ts's whole-phrase rule, so "don't call me" or "call me later" never dial.
 */

/** Built-in phrases per language, used when a number configures none. Accents and case do not matter. */
export const DEFAULT_CALLBACK_PHRASES: Readonly<Record<string, readonly string[]>> = {
  en: [
    'call me',
    'call me back',
    'call me now',
    'can you call me',
    'could you call me',
    'give me a call',
    'i want a call',
    'i would like a call',
    'callback',
    'call back',
    'request a call',
  ],
  es: [
    'llámame',
    'llamame ahora',
    'llámenme',
    'me llamas',
    'me puedes llamar',
    'me pueden llamar',
    'pueden llamarme',
    'quiero una llamada',
    'devuélveme la llamada',
  ],
  pt: [
    'me liga',
    'me ligue',
    'me liguem',
    'liga pra mim',
    'ligue para mim',
    'pode me ligar',
    'podem me ligar',
    'quero uma ligação',
    'me ligue de volta',
  ],
};

/** Courtesy words dropped at the message's ends before matching ("please call me!"). */
export const DEFAULT_COURTESY_WORDS: readonly string[] = [
  'please',
  'pls',
  'plz',
  'thanks',
  'thank you',
  'por favor',
  'porfa',
  'gracias',
  'pf',
  'pfv',
  'obrigado',
  'obrigada',
];

/** The phrase lists of one business number, built once per configuration. */
export interface CallbackPhrases {
  readonly byLanguage: readonly { readonly language: string; readonly set: PhraseSet }[];
}

/** Builds the matcher from a number's phrases per language (default: the built-in lists). */
export function callbackPhrases(
  phrases: Readonly<Record<string, readonly string[]>> = DEFAULT_CALLBACK_PHRASES,
  courtesyWords: readonly string[] = DEFAULT_COURTESY_WORDS,
): CallbackPhrases {
  return {
    byLanguage: Object.entries(phrases).map(([language, list]) => ({
      language,
      set: phraseSet(list, courtesyWords),
    })),
  };
}

/** A customer message that asks for a call, and the language of the phrase it used (for the reply). */
export interface CallbackTrigger {
  readonly language: string;
  readonly phrase: string;
}

/**
 * The trigger in a customer message, if it is one: a text, or the title of a button or list
 * reply (so a "Call me" button offered by a flow works too). Media captions never trigger.
 */
export function callbackTriggerIn(
  message: InboundMessage,
  phrases: CallbackPhrases,
): CallbackTrigger | undefined {
  const text = triggerText(message);
  if (text === undefined) return undefined;
  for (const { language, set } of phrases.byLanguage) {
    const phrase = matchWholePhrase(text, set);
    if (phrase) return { language, phrase };
  }
  return undefined;
}

function triggerText(message: InboundMessage): string | undefined {
  switch (message.content.kind) {
    case 'text':
      return message.content.body;
    case 'button':
      return message.content.text;
    case 'choice':
      return message.content.title;
    default:
      return undefined;
  }
}

/**
 * The call's ClientToken: the conversation and the WhatsApp message that asked. A redelivered
 * message (SNS, SQS, Meta's retries) gets the same token, so Connect returns the contact it
 * already started instead of dialling again (the token is valid 7 days: botocore connect
 * 2017-08-08, StartOutboundVoiceContactRequest.ClientToken). A cool-down bucket would not do:
 * a redelivery that straddles a bucket boundary would dial twice. A new request (another message)
 * gets a new token, and the cool-down record on the conversation decides whether it dials.
 */
export function callbackClientToken(key: ConversationKey, whatsAppMessageId: string): string {
  return idempotencyToken('callback', conversationKeyString(key), whatsAppMessageId);
}

/** Why no call was placed; each has a customer reply and an agent notice (callback-messages.ts). */
export type CallbackRefusal =
  /** BSUID/username-only customer: WhatsApp did not share a phone number to call. */
  | 'no-phone-number'
  /** The business number has callbacks switched off. */
  | 'callbacks-off'
  /** Outside the configured hours of operation. */
  | 'outside-hours'
  /** Connect will not call that destination (country not allowed, or the 447 UK mobile quota). */
  | 'destination-not-allowed'
  /** Connect's outbound call quota or rate was reached. */
  | 'quota-reached'
  /** Connect refused the request itself: the flow, number, queue or instance is wrong, or access is denied. */
  | 'misconfigured';

/** What happened to one "call me". */
export type CallbackOutcome =
  | { readonly kind: 'not-requested' }
  /** This message's request was handled before (a redelivery): nothing is done again. */
  | { readonly kind: 'already-handled' }
  | { readonly kind: 'started'; readonly contactId: string; readonly destination: string }
  /** A call went out within the cool-down: no new call. */
  | { readonly kind: 'cooling-down'; readonly since: number; readonly contactId?: string }
  | { readonly kind: 'refused'; readonly reason: CallbackRefusal; readonly detail?: string }
  /** Connect may have placed the call but did not say so; it is not tried again (no double call). */
  | { readonly kind: 'unconfirmed'; readonly detail: string };

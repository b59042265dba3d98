import { NOTICE_PREFIX } from './agent-notices.js';
import type { CallbackOutcome, CallbackRefusal } from './callback-request.js';

/**
 * What the customer reads on WhatsApp and the agent reads in the chat after a "call me". The
 * customer's reply is in the language of the phrase they used, when the number has texts in it.
 */

/** The customer's reply texts; `{number}` is the number the call comes from. */
export interface CallbackReplyTexts {
  readonly calling: string;
  readonly alreadyCalling: string;
  readonly noPhoneNumber: string;
  readonly outsideHours: string;
  readonly unavailable: string;
}

/** Built-in replies; a number's `callback.replies` override them per language and per text. */
export const DEFAULT_CALLBACK_REPLIES: Readonly<Record<string, CallbackReplyTexts>> = {
  en: {
    calling: "We're calling you now from {number}. Keep this chat open: we'll answer here too.",
    alreadyCalling: 'A call to you is already on its way from {number}. We will answer here too.',
    noPhoneNumber:
      "We can't call you: your phone number isn't visible to us on WhatsApp. Send us the number to call, and an agent will reply here.",
    outsideHours: "We can't call you right now: we're outside our calling hours. An agent will reply here.",
    unavailable: "We can't place a call right now. An agent will reply here.",
  },
  es: {
    calling: 'Te estamos llamando ahora desde el {number}. Seguimos también por este chat.',
    alreadyCalling: 'Ya va una llamada hacia ti desde el {number}. Seguimos también por este chat.',
    noPhoneNumber:
      'No podemos llamarte: tu número de teléfono no nos es visible en WhatsApp. Envíanos el número al que llamarte y un agente te responderá aquí.',
    outsideHours:
      'No podemos llamarte ahora: estamos fuera del horario de llamadas. Un agente te responderá aquí.',
    unavailable: 'No podemos hacer la llamada ahora. Un agente te responderá aquí.',
  },
  pt: {
    calling: 'Estamos te ligando agora do {number}. Continuamos também por este chat.',
    alreadyCalling: 'Uma ligação para você já está a caminho do {number}. Continuamos também por este chat.',
    noPhoneNumber:
      'Não conseguimos te ligar: seu número de telefone não está visível para nós no WhatsApp. Envie o número para ligarmos e um atendente responderá aqui.',
    outsideHours:
      'Não conseguimos te ligar agora: estamos fora do horário de ligações. Um atendente responderá aqui.',
    unavailable: 'Não conseguimos fazer a ligação agora. Um atendente responderá aqui.',
  },
};

/** The reply texts for a language: the number's own, then the built-in ones, then English. */
export function replyTextsFor(
  language: string,
  configured: Readonly<Record<string, Partial<CallbackReplyTexts>>> = {},
): CallbackReplyTexts {
  const base = DEFAULT_CALLBACK_REPLIES[language] ?? DEFAULT_CALLBACK_REPLIES[language.slice(0, 2)];
  // The English texts are always defined; the assertion only satisfies the index type.
  const english = DEFAULT_CALLBACK_REPLIES.en as CallbackReplyTexts;
  return { ...english, ...configured.en, ...base, ...configured[language] };
}

/** The customer's reply to an outcome, or undefined when nothing is said (not a request, a redelivery). */
export function customerReplyFor(
  outcome: CallbackOutcome,
  texts: CallbackReplyTexts,
  announcedNumber: string | undefined,
): string | undefined {
  const withNumber = (text: string) => text.replaceAll('{number}', announcedNumber ?? '');
  switch (outcome.kind) {
    case 'started':
      return withNumber(texts.calling);
    case 'cooling-down':
      return withNumber(texts.alreadyCalling);
    case 'refused':
      return outcome.reason === 'no-phone-number'
        ? texts.noPhoneNumber
        : outcome.reason === 'outside-hours'
          ? texts.outsideHours
          : texts.unavailable;
    default:
      return undefined;
  }
}

const REFUSAL_REASONS: Readonly<Record<CallbackRefusal, string>> = {
  'no-phone-number':
    'the customer uses a WhatsApp username and their phone number is not visible (ask them for a number to call)',
  'callbacks-off': 'callbacks are switched off for this WhatsApp number',
  'outside-hours': 'it is outside the configured hours of operation',
  'destination-not-allowed': "Connect does not allow calls to the customer's country or number",
  'quota-reached': "Connect's outbound call quota was reached; try again in a few minutes",
  misconfigured:
    'Connect refused the call request (check the outbound flow, caller number or queue, and permissions)',
};

/** The agent's notice for an outcome: the call was requested and started, held back, or not placed and why. */
export function callbackNotice(outcome: CallbackOutcome): string | undefined {
  switch (outcome.kind) {
    case 'started':
      return `${NOTICE_PREFIX} The customer asked for a call. Connect is calling ${outcome.destination} now (contact ${outcome.contactId}).`;
    case 'cooling-down': {
      const at = new Date(outcome.since).toISOString().slice(11, 16);
      const contact = outcome.contactId ? ` (contact ${outcome.contactId})` : '';
      return `${NOTICE_PREFIX} The customer asked for a call again. A call was already placed at ${at} UTC${contact}, so no new call was made.`;
    }
    case 'refused':
      return `${NOTICE_PREFIX} The customer asked for a call. No call was placed: ${REFUSAL_REASONS[outcome.reason]}.`;
    case 'unconfirmed':
      return `${NOTICE_PREFIX} The customer asked for a call. Connect did not confirm whether it placed the call (${outcome.detail}), so it is not tried again: check the customer's recent contacts before calling them.`;
    default:
      return undefined;
  }
}

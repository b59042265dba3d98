import type { MarketingPreference } from './customer-choices.js';
import { matchWholePhrase, type PhraseSet, phraseSet } from './phrase-match.js';
import type { UserPreference } from './webhook-notifications.js';

/**
 * The customer's marketing choice: what counts as one, which newer choice wins, and whether a
 * template may go to them. Meta's `user_preferences` webhook reports a stop or resume made in
 * WhatsApp (reference/user_preferences); a whole-message keyword (STOP, PARAR…) is the customer
 * saying the same in the chat. Only MARKETING templates are held back: utility and authentication
 * templates answer something the customer asked for.
 */

/** A recorded choice (never 'unknown'). */
export type MarketingChoice = Exclude<MarketingPreference, { state: 'unknown' }>;

/**
 * Opt-out keywords used when a business number configures none. Each must be the WHOLE message
 * (phrase-match.ts), so "stop sending offers" or "cancelar o pedido" never opt anyone out.
 * Left out on purpose: CANCEL/CANCELAR/END/QUIT, which support customers write about orders and
 * bookings; "NO" and "NÃO", which answer questions.
 */
export const DEFAULT_OPT_OUT_KEYWORDS: readonly string[] = [
  // English (the SMS industry's words)
  'STOP',
  'STOP ALL',
  'STOPALL',
  'UNSUBSCRIBE',
  'OPT OUT',
  'OPTOUT',
  // Spanish
  'BAJA',
  'DAR DE BAJA',
  // Portuguese (Brazil's usual SAIR and PARAR; PARAR is Spanish too)
  'PARAR',
  'SAIR',
  'DESCADASTRAR',
  // French, German, Italian
  'ARRET',
  'DESABONNER',
  'STOPP',
  'ABMELDEN',
  'DISISCRIVIMI',
  // Russian
  'СТОП',
  'ОТПИСАТЬСЯ',
];

/** Opt-in keywords used when a business number configures none; the guide tells agents to ask for START. */
export const DEFAULT_OPT_IN_KEYWORDS: readonly string[] = ['START', 'UNSTOP', 'SUBSCRIBE', 'ПОДПИСАТЬСЯ'];

/** Words a customer may put around a keyword ("STOP please", "Parar, obrigado"). */
export const KEYWORD_COURTESY: readonly string[] = [
  'please',
  'pls',
  'thanks',
  'thank you',
  'por favor',
  'porfa',
  'gracias',
  'obrigado',
  'obrigada',
  's il vous plait',
  'merci',
  'bitte',
  'danke',
  'per favore',
  'grazie',
  'пожалуйста',
  'спасибо',
];

/** A business number's keyword lists, matched as whole messages. */
export interface MarketingKeywords {
  readonly optOut: PhraseSet;
  readonly optIn: PhraseSet;
}

/** Builds a number's keyword sets once; a list left out falls back to the defaults. */
export function marketingKeywords(lists: { optOut?: readonly string[]; optIn?: readonly string[] }) {
  return {
    optOut: phraseSet(lists.optOut ?? DEFAULT_OPT_OUT_KEYWORDS, KEYWORD_COURTESY),
    optIn: phraseSet(lists.optIn ?? DEFAULT_OPT_IN_KEYWORDS, KEYWORD_COURTESY),
  } satisfies MarketingKeywords;
}

/** The choice a customer's whole message makes, if it is exactly a keyword. */
export function keywordChoice(
  text: string,
  keywords: MarketingKeywords,
  at: number,
): MarketingChoice | undefined {
  if (matchWholePhrase(text, keywords.optOut)) return { state: 'opted-out', at, source: 'keyword' };
  if (matchWholePhrase(text, keywords.optIn)) return { state: 'opted-in', at, source: 'keyword' };
  return undefined;
}

/**
 * The choice a `user_preferences` element reports, or undefined for anything but a marketing
 * stop or resume (Meta documents only category `marketing_messages` with values `stop` and
 * `resume`; any other is acknowledged, never guessed at).
 */
export function webhookChoice(preference: UserPreference): MarketingChoice | undefined {
  if (preference.category.toLowerCase() !== 'marketing_messages') return undefined;
  const at = preference.timestamp * 1000;
  switch (preference.value.toLowerCase()) {
    case 'stop':
      return { state: 'opted-out', at, source: 'meta' };
    case 'resume':
      return { state: 'opted-in', at, source: 'meta' };
    default:
      return undefined;
  }
}

/**
 * When a new choice may replace the stored one (the store's write is conditional on this):
 * - only a newer choice replaces an older one, so a late webhook or a retried message never undoes
 *   a later decision; at the same millisecond an opt-out wins;
 * - a keyword never replaces an opt-out made in WhatsApp itself: WhatsApp keeps refusing
 *   marketing messages until the customer resumes them there, whatever they type.
 */
export interface ReplaceRule {
  readonly at: number;
  readonly winsTies: boolean;
  readonly keepsWhatsAppOptOut: boolean;
}

/** The replace rule for a new choice. */
export function replaceRuleFor(choice: MarketingChoice): ReplaceRule {
  return {
    at: choice.at,
    winsTies: choice.state === 'opted-out',
    keepsWhatsAppOptOut: choice.source === 'keyword',
  };
}

/** A template's category as Meta names it (`MARKETING`, `UTILITY`, `AUTHENTICATION`), if known. */
export function isMarketingCategory(category: string | undefined): boolean {
  return category?.toUpperCase() === 'MARKETING';
}

/**
 * Why a template must not go to this customer, in words the agent can act on; undefined when it
 * may. A template whose category is unknown is treated as marketing for a customer who opted
 * out: the catalogue always carries one (botocore socialmessaging TemplateSummary.templateCategory),
 * so this only costs a utility send in a case that should not happen.
 */
export function marketingRefusal(
  category: string | undefined,
  preference: MarketingPreference | undefined,
): string | undefined {
  if (preference?.state !== 'opted-out') return undefined;
  if (category !== undefined && !isMarketingCategory(category)) return undefined;
  const date = new Date(preference.at).toISOString().slice(0, 10);
  const what = category === undefined ? 'This template’s category is unknown, and the' : 'The';
  const resume =
    preference.source === 'meta'
      ? 'ask them to turn marketing messages from this business back on in WhatsApp'
      : `ask them to reply ${DEFAULT_OPT_IN_KEYWORDS[0]}`;
  return `${what} customer opted out of marketing messages on ${date}. Nothing was sent. Use a utility template, or ${resume}.`;
}

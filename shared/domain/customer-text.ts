import { NOTICE_PREFIX } from './agent-notices.js';

/**
 * Customer text on its way to the agent. Relay notices and customer messages reach the agent
 * through the same connection, and the agent tells them apart by the notice's marker alone
 * (NOTICE_PREFIX: the warning sign and "[WhatsApp relay notice — …]"). So the marker must never
 * appear in anything the customer wrote, or the customer could forge a notice ("identity
 * verified") that reads exactly like a real one.
 */

// The notice's sign (⚠, with or without an emoji/text variation selector), wherever it stands:
// long texts are split into several chat messages, so any word may end up first in one.
const NOTICE_SIGN = new RegExp(
  `${String.fromCodePoint(NOTICE_PREFIX.codePointAt(0) ?? 0x26a0)}[\\uFE0E\\uFE0F]?`,
  'gu',
);

// An opening bracket (or a look-alike), up to 30 characters, then "relay notice" with any
// invisible format characters (zero-width spaces and joiners, bidi controls) or spaces between
// its letters: what a forger types so that the agent reads the notice's bracketed words.
const GAP = '[\\p{Cf}\\s]';
const spelled = (word: string) => [...word].join(`${GAP}*`);
const BRACKETED_MARKER = new RegExp(
  `[[［⟦【]([^\\]\\n]{0,30}?${spelled('relay')}${GAP}+${spelled('notice')})`,
  'giu',
);

const INVISIBLE = /\p{Cf}/gu;

/**
 * Customer-provided text with the relay's notice marker made visibly different: the warning sign
 * becomes "(!)" and a bracketed "relay notice" becomes `[customer typed "…"`. Everything else,
 * including the customer's own line breaks and emoji, is left as it was.
 */
export function neutraliseNoticeMarker(text: string): string {
  return text
    .replace(NOTICE_SIGN, '(!)')
    .replace(
      BRACKETED_MARKER,
      (_match, words: string) => `[customer typed “${words.replace(INVISIBLE, '')}”`,
    );
}

/**
 * The first words of a quoted message (the one a reply or reaction points at), on one line, cut
 * on a word boundary to about `maxLength` characters, with the notice marker neutralised.
 */
export function quoteExcerpt(text: string, maxLength = 40): string {
  const flat = neutraliseNoticeMarker(text).replace(/\s+/g, ' ').trim();
  const characters = [...flat];
  if (characters.length <= maxLength) return flat;
  const window = characters.slice(0, maxLength + 1).join('');
  const lastSpace = window.lastIndexOf(' ');
  const cut =
    lastSpace >= maxLength / 2 ? window.slice(0, lastSpace) : characters.slice(0, maxLength).join('');
  return `${cut.trimEnd()}…`;
}

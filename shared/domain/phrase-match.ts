/**
 * Whole-phrase matching of what a customer typed against a configured list of phrases ("STOP",
 * "call me", "llámame"…). The rule, written down once because two features rely on it:
 *
 * 1. Both sides are normalised: Unicode NFKD, accents and other combining marks removed,
 *    lower-cased, every run of characters that is not a letter or digit (punctuation, emoji,
 *    apostrophes, line breaks) turned into one space, and the ends trimmed.
 *    So "¡LLÁMAME!" matches "llamame", and "Call me 🙏" matches "call me".
 * 2. Courtesy words the caller lists (for example "please", "por favor") are removed from the
 *    message's start and end only, as whole words, until none is left.
 * 3. What remains must EQUAL one phrase. A phrase inside a longer message never matches, so
 *    "don't call me", "do not call me now", "stop sending me spam" and "call me later" do not
 *    match "call me" or "stop". A customer who writes around the phrase is read by the agent,
 *    who sees every message anyway.
 */

/** A phrase list ready for matching: built once per configuration. */
export interface PhraseSet {
  readonly phrases: ReadonlySet<string>;
  readonly courtesy: readonly string[];
}

/** Lower-case, accent-free, punctuation-free text with single spaces (rule 1). */
export function normalisePhrase(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Builds the set once; empty phrases (only punctuation, say) are dropped. */
export function phraseSet(phrases: readonly string[], courtesyWords: readonly string[] = []): PhraseSet {
  const normalised = phrases.map(normalisePhrase).filter((phrase) => phrase.length > 0);
  const courtesy = courtesyWords
    .map(normalisePhrase)
    .filter((word) => word.length > 0)
    // Longest first, so "por favor" is removed before a shorter "por" could be.
    .sort((a, b) => b.length - a.length);
  return { phrases: new Set(normalised), courtesy };
}

/** The phrase the whole message is (rules 2 and 3), or undefined. */
export function matchWholePhrase(text: string, set: PhraseSet): string | undefined {
  let rest = normalisePhrase(text);
  for (let changed = true; changed && rest.length > 0; ) {
    changed = false;
    for (const word of set.courtesy) {
      if (rest === word) break;
      if (rest.startsWith(`${word} `)) {
        rest = rest.slice(word.length + 1);
        changed = true;
      }
      if (rest.endsWith(` ${word}`)) {
        rest = rest.slice(0, -(word.length + 1));
        changed = true;
      }
    }
  }
  return set.phrases.has(rest) ? rest : undefined;
}

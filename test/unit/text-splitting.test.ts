import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitText } from '../../shared/domain/text-splitting.js';

const nonWhitespace = (text: string) => text.replace(/\s+/g, '');
const hasLoneSurrogate = (text: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

/** Text built from words, emoji and whitespace: what customers actually send. */
const messageText = fc
  .array(
    fc.oneof(
      fc.string({ minLength: 1, maxLength: 12 }).map((word) => word.replace(/\s/g, 'x')),
      fc.constantFrom('😀', '👍🏽', '🇧🇷', '𝒜𝒷𝒸', 'ção', 'https://example.com/a/very/long/path?with=query'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
      fc.constantFrom(' ', '\n', '  ', '\t'),
    ),
    { maxLength: 400 },
  )
  .map((pieces) => pieces.join(''));

describe('splitText', () => {
  it('returns short text unchanged, as one part', () => {
    expect(splitText('hello world', 1024)).toEqual(['hello world']);
    expect(splitText('x'.repeat(1024), 1024)).toEqual(['x'.repeat(1024)]);
  });

  it('breaks at word boundaries, keeping words whole', () => {
    expect(splitText('aaa bbb ccc ddd', 7)).toEqual(['aaa bbb', 'ccc ddd']);
    expect(splitText('one two three four five six', 10)).toEqual(['one two', 'three four', 'five six']);
  });

  it('prefers a break right at the limit', () => {
    expect(splitText(`${'a'.repeat(10)} ${'b'.repeat(5)}`, 10)).toEqual(['a'.repeat(10), 'b'.repeat(5)]);
  });

  it('cuts a word longer than the limit (a URL) hard', () => {
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('never cuts a surrogate pair in half', () => {
    // 'a' then emoji: a cut at 2 would fall between the emoji's two code units.
    expect(splitText('a😀b😀c', 2)).toEqual(['a', '😀', 'b', '😀', 'c']);
    expect(splitText('😀'.repeat(5), 3)).toEqual(['😀', '😀', '😀', '😀', '😀']);
  });

  it('refuses a limit that cannot hold a surrogate pair', () => {
    expect(() => splitText('abc', 1)).toThrow(RangeError);
  });

  it('for any text: no part exceeds the limit, no part is empty, nothing is lost, no lone surrogates', () => {
    fc.assert(
      fc.property(messageText, fc.integer({ min: 2, max: 80 }), (text, limit) => {
        const parts = splitText(text, limit);
        for (const part of parts) {
          expect(part.length).toBeLessThanOrEqual(limit);
          if (text.length > limit) expect(part.length).toBeGreaterThan(0);
          if (!hasLoneSurrogate(text)) expect(hasLoneSurrogate(part)).toBe(false);
        }
        expect(nonWhitespace(parts.join(''))).toBe(nonWhitespace(text));
      }),
      { numRuns: 500 },
    );
  });

  it('for any text: parts come out in order', () => {
    fc.assert(
      fc.property(messageText, fc.integer({ min: 2, max: 40 }), (text, limit) => {
        let rest = nonWhitespace(text);
        for (const part of splitText(text, limit)) {
          const chunk = nonWhitespace(part);
          expect(rest.startsWith(chunk)).toBe(true);
          rest = rest.slice(chunk.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});

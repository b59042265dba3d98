import { describe, expect, it } from 'vitest';
import { matchWholePhrase, normalisePhrase, phraseSet } from '../../shared/domain/phrase-match.js';

const callMe = phraseSet(
  ['call me', 'llámame', 'me liga', 'ligue-me'],
  ['please', 'por favor', 'pls', 'agora', 'now'],
);

describe('whole-phrase matching of customer keywords', () => {
  it.each([
    ['call me', 'call me'],
    ['Call me!', 'call me'],
    ['  CALL   ME  ', 'call me'],
    ['please call me', 'call me'],
    ['Call me please 🙏', 'call me'],
    ['¡Llámame!', 'llamame'],
    ['llamame por favor', 'llamame'],
    ['Me liga agora', 'me liga'],
    ['ligue-me', 'ligue me'],
  ])('treats %j as a request', (text, phrase) => {
    // Act
    const match = matchWholePhrase(text, callMe);

    // Assess
    expect(match).toBe(phrase);
  });

  it.each([
    "don't call me",
    'do not call me',
    'call me later',
    'never call me again',
    'can you call me tomorrow at 5?',
    'please',
    '',
    '🙏',
    'no me llames',
  ])('does not treat %j as a request', (text) => {
    // Act
    const match = matchWholePhrase(text, callMe);

    // Assess
    expect(match).toBeUndefined();
  });

  it('matches a keyword the way the customer typed it in another script', () => {
    // Prepare
    const stop = phraseSet(['STOP', 'PARAR', 'ОТПИСАТЬСЯ']);

    // Act + Assess
    expect(matchWholePhrase('Отписаться.', stop)).toBe(normalisePhrase('ОТПИСАТЬСЯ'));
    expect(matchWholePhrase('stop sending me offers', stop)).toBeUndefined();
  });
});

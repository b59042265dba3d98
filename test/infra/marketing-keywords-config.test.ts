import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRelayConfig } from '../../infra/config/relay-config.js';

const example = JSON.parse(readFileSync('config/relay.example.json', 'utf8')) as {
  businessNumbers: Record<string, unknown>[];
};

function withKeywords(keywords: Record<string, unknown>) {
  const [first, ...rest] = example.businessNumbers;
  return { ...example, businessNumbers: [{ ...first, ...keywords }, ...rest] };
}

describe('opt-out keywords in the deployment config', () => {
  it('keeps each number’s keyword lists for the inbound function', () => {
    // Act
    const config = parseRelayConfig(
      withKeywords({ optOutKeywords: ['PARAR', 'SAIR'], optInKeywords: ['VOLTAR'] }),
      'test.json',
    );

    // Assess
    expect(config.businessNumbers[0]).toMatchObject({
      optOutKeywords: ['PARAR', 'SAIR'],
      optInKeywords: ['VOLTAR'],
    });
  });

  it('refuses at synth time a keyword that no message could ever match', () => {
    // Act
    const attempt = () => parseRelayConfig(withKeywords({ optOutKeywords: ['STOP', '!!!'] }), 'test.json');

    // Assess
    expect(attempt).toThrowError(/businessNumbers\.0\.optOutKeywords\.1: a keyword needs a letter or digit/);
  });
});

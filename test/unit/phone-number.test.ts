import { describe, expect, it } from 'vitest';
import { checkWhatsAppNumber } from '../../shared/domain/phone-number.js';

describe('WhatsApp numbers as people type them', () => {
  it.each([
    ['+44 (0) 7700 900123', '+447700900123'],
    ['+44(0)7700900123', '+447700900123'],
    ['0044 (0)7700 900 123', '+447700900123'],
    ['+49 (0)151 12345678', '+4915112345678'],
    ['+55 (11) 98765-4321', '+5511987654321'],
  ])('reads %s as %s', (typed, e164) => {
    // Prepare
    // Act
    const check = checkWhatsAppNumber(typed);

    // Assess
    expect(check).toEqual({ ok: true, e164 });
  });
});

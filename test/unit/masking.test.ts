import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createLogReplacer,
  maskBody,
  maskPhoneNumber,
  maskSensitiveJson,
} from '../../shared/domain/masking.js';
import { createObservability } from '../../shared/observability/telemetry.js';
import { captureOutput } from '../support/captured-output.js';

describe('maskPhoneNumber', () => {
  it('keeps the country code and the last two digits, enough to tell numbers apart', () => {
    expect(maskPhoneNumber('+447700900123')).toBe('+44********23');
    expect(maskPhoneNumber('5511987654321')).toBe('55*********21');
  });

  it('masks short values completely and tolerates absence', () => {
    expect(maskPhoneNumber('1234')).toBe('****');
    expect(maskPhoneNumber(undefined)).toBe('');
    expect(maskPhoneNumber('')).toBe('');
  });

  it('ignores formatting characters when counting digits', () => {
    expect(maskPhoneNumber('+44 7700 900123')).toBe('+44********23');
  });
});

describe('maskBody', () => {
  it('replaces a body by its length', () => {
    expect(maskBody('my address is 1 Main St')).toBe('[23 chars]');
    expect(maskBody('')).toBe('[0 chars]');
    expect(maskBody(undefined)).toBe('');
  });
});

describe('maskSensitiveJson', () => {
  const mask = (value: unknown) => JSON.parse(JSON.stringify(value, maskSensitiveJson));

  it('masks phone numbers under phone-like keys, whatever their case', () => {
    expect(
      mask({
        from: '447700900123',
        wa_id: '5511987654321',
        customerPhone: '+15550001111',
        To: '+4915112345678',
      }),
    ).toEqual({
      from: '44********23',
      wa_id: '55*********21',
      customerPhone: '+15*******11',
      To: '+49*********78',
    });
  });

  it('replaces bodies, texts, captions and contents by their length, at any depth', () => {
    expect(
      mask({
        text: { body: 'hello there' },
        caption: 'my passport',
        nested: [{ content: 'secret', initialMessage: 'hi' }],
      }),
    ).toEqual({
      text: { body: '[11 chars]' },
      caption: '[11 chars]',
      nested: [{ content: '[6 chars]', initialMessage: '[2 chars]' }],
    });
  });

  it('redacts every kind of token', () => {
    expect(mask({ connectionToken: 'c', ParticipantToken: 'p', clientToken: 'x', nextToken: 'n' })).toEqual({
      connectionToken: '[redacted]',
      ParticipantToken: '[redacted]',
      clientToken: '[redacted]',
      nextToken: '[redacted]',
    });
  });

  it('masks phone-like digit runs inside any other string, and leaves the rest alone', () => {
    expect(mask({ detail: 'customer +447700900123 wrote twice', count: 3, ok: true })).toEqual({
      detail: 'customer +44********23 wrote twice',
      count: 3,
      ok: true,
    });
    expect(mask({ contactId: 'a1b2c3d4-5678-90ab' })).toEqual({ contactId: 'a1b2c3d4-5678-90ab' });
  });
});

describe('maskSensitiveJson: ids stay readable for on-call', () => {
  const mask = (value: unknown) => JSON.parse(JSON.stringify(value, maskSensitiveJson));

  it.each([
    ['a wamid', 'wamid.HBgLMTU1NTAxMjM0NTYVAgASGBQz00000001AA=='],
    ['a wamid with a long digit run', 'wamid.HBgLMTQxNTU1NTAxMjM0FQIAEhgg4471234567890AA=='],
    ['a Connect contact id', 'a1b2c3d4-5678-90ab-cdef-111122223333'],
    ['an SQS message id', '059f36b4-87a3-44ab-83d2-661975830a7d'],
    ['an EUM phone number id', 'phone-number-id-0123456789abcdef0123456789abcdef'],
    ['a numeric EUM phone number id', 'phone-number-id-41555501234567'],
    ['an ARN', 'arn:aws:sqs:us-east-1:111122223333:whatsapp-inbound-dlq'],
    ['a phone number ARN', 'arn:aws:social-messaging:us-east-1:111122223333:phone-number-id/0123456789'],
    ['a Meta id with a dot', 'US.13491208655302741918'],
    ['an event id with an underscore', 'evt_4471234567890'],
  ])('does not mask digits inside %s', (_what, id) => {
    expect(mask({ detail: `relayed ${id} ok`, id })).toEqual({ detail: `relayed ${id} ok`, id });
  });

  it.each([
    ['on its own', '447700900123', '44********23'],
    ['with a plus', '+447700900123', '+44********23'],
    ['at the end of a sentence', 'call 447700900123.', 'call 44********23.'],
    ['in brackets', '(447700900123)', '(44********23)'],
    ['after a colon and a space', 'customer: +5511987654321', 'customer: +55*********21'],
    ['in a wa.me link', 'https://wa.me/447700900123', 'https://wa.me/44********23'],
  ])('still masks a free-standing phone number %s', (_how, text, masked) => {
    expect(mask({ detail: text })).toEqual({ detail: masked });
  });
});

describe('the logger', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('keeps the log line’s own message readable while masking what it carries', () => {
    // The log record's `message` is what happened; a nested `message` may be a customer's.
    const replacer = createLogReplacer();
    const line = JSON.parse(
      JSON.stringify(
        {
          level: 'INFO',
          message: 'Message relayed to Connect for 447700900123',
          payload: { message: 'Message relayed to Connect' },
        },
        replacer,
      ),
    );
    expect(line).toEqual({
      level: 'INFO',
      message: 'Message relayed to Connect for 44********23',
      payload: { message: '[26 chars]' },
    });
  });

  it('writes readable, masked JSON through Powertools', () => {
    vi.stubEnv('POWERTOOLS_DEV', 'true');
    const output = captureOutput();
    try {
      const { telemetry } = createObservability('unit-test');
      telemetry.info('Message relayed to Connect', {
        text: 'my secret',
        from: '447700900123',
        connectionToken: 'token-value',
      });
      const line = JSON.parse(output.lines.find((entry) => entry.includes('relayed')) ?? '{}');
      expect(line).toMatchObject({
        message: 'Message relayed to Connect',
        text: '[9 chars]',
        from: '44********23',
        connectionToken: '[redacted]',
      });
    } finally {
      output.restore();
    }
  });
});

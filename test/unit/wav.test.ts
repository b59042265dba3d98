import { describe, expect, it } from 'vitest';
import { MonoWavWriter, planVoiceWav } from '../../shared/domain/wav.js';

const TWENTY_MB = 20 * 1024 * 1024;
const minutes48k = (minutes: number) => minutes * 60 * 48_000;

describe('planVoiceWav', () => {
  it('keeps a ten-minute voice note at 16 kHz', () => {
    // Act
    const plan = planVoiceWav(minutes48k(10), TWENTY_MB);

    // Assess
    expect(plan).toEqual({ fits: true, sampleRate: 16_000, samples: 10 * 60 * 16_000 });
  });

  it('steps a 13-minute note down to 12 kHz and a 21-minute note to 8 kHz so they still fit in 20 MB', () => {
    // Act
    const thirteen = planVoiceWav(minutes48k(13), TWENTY_MB);
    const twentyOne = planVoiceWav(minutes48k(21), TWENTY_MB);

    // Assess
    expect(thirteen).toMatchObject({ fits: true, sampleRate: 12_000 });
    expect(twentyOne).toMatchObject({ fits: true, sampleRate: 8_000 });
    for (const plan of [thirteen, twentyOne]) {
      expect(plan.fits && 44 + plan.samples * 2).toBeLessThanOrEqual(TWENTY_MB);
    }
  });

  it('refuses a 30-minute note, naming the longest that would fit (21 min 50 s at 8 kHz)', () => {
    // Act
    const plan = planVoiceWav(minutes48k(30), TWENTY_MB);

    // Assess
    expect(plan).toEqual({ fits: false, maxSeconds: Math.floor((TWENTY_MB - 44) / 2 / 8_000) });
    expect(plan.fits || plan.maxSeconds).toBe(1310);
  });
});

describe('MonoWavWriter', () => {
  it('writes a canonical 16-bit mono PCM header and little-endian samples', () => {
    // Prepare
    const writer = new MonoWavWriter(16_000, 5);

    // Act
    writer.append([new Float32Array([0, 1, -1, 0.5, 2])], 5);
    const wav = writer.finish();

    // Assess
    const view = new DataView(wav.buffer, wav.byteOffset);
    const ascii = (offset: number) => String.fromCharCode(...wav.subarray(offset, offset + 4));
    expect(wav.byteLength).toBe(44 + 10);
    expect([ascii(0), ascii(8), ascii(12), ascii(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint32(4, true)).toBe(36 + 10);
    expect(view.getUint16(20, true)).toBe(1); // PCM
    expect(view.getUint16(22, true)).toBe(1); // mono
    expect(view.getUint32(24, true)).toBe(16_000);
    expect(view.getUint32(28, true)).toBe(32_000);
    expect(view.getUint16(32, true)).toBe(2);
    expect(view.getUint16(34, true)).toBe(16);
    expect(view.getUint32(40, true)).toBe(10);
    // Out-of-range samples are clipped rather than wrapped.
    expect([0, 1, 2, 3, 4].map((index) => view.getInt16(44 + index * 2, true))).toEqual([
      0, 32767, -32768, 16383, 32767,
    ]);
  });

  it('mixes stereo blocks down to mono, appending block after block', () => {
    // Prepare
    const writer = new MonoWavWriter(8_000, 4);

    // Act
    writer.append([new Float32Array([0.5, 0.5]), new Float32Array([0.0, -0.5])], 2);
    writer.append([new Float32Array([1, 1]), new Float32Array([1, 0])], 2);
    const wav = writer.finish();

    // Assess
    const view = new DataView(wav.buffer, wav.byteOffset);
    expect(view.getUint32(24, true)).toBe(8_000);
    expect([0, 1, 2, 3].map((index) => view.getInt16(44 + index * 2, true))).toEqual([
      Math.trunc(0.25 * 0x7fff),
      0,
      0x7fff,
      Math.trunc(0.5 * 0x7fff),
    ]);
  });

  it('never grows past its planned length, and ends the file where the audio ended', () => {
    // Prepare
    const writer = new MonoWavWriter(16_000, 3);

    // Act
    writer.append([new Float32Array(2).fill(0.1)], 2);
    writer.append([new Float32Array(5).fill(0.1)], 5);
    const full = writer.finish();
    const short = new MonoWavWriter(16_000, 100);
    short.append([new Float32Array(10)], 10);

    // Assess
    expect(writer.samples).toBe(3);
    expect(full.byteLength).toBe(44 + 6);
    expect(new DataView(short.finish().buffer).getUint32(40, true)).toBe(20);
  });
});

import { describe, expect, it } from 'vitest';
import { encodeWav, toMono16k, WAV_SAMPLE_RATE } from '../../shared/domain/wav.js';

describe('encodeWav', () => {
  it('writes a canonical 16-bit mono PCM header and little-endian samples', () => {
    const wav = encodeWav(new Float32Array([0, 1, -1, 0.5, 2]));
    const view = new DataView(wav.buffer);
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
});

describe('toMono16k', () => {
  it('averages channels and resamples 48 kHz to 16 kHz', () => {
    const left = new Float32Array(48_000).fill(0.6);
    const right = new Float32Array(48_000).fill(0.2);

    const mono = toMono16k([left, right], 48_000, 48_000);

    expect(mono.length).toBe(WAV_SAMPLE_RATE);
    expect(mono[0]).toBeCloseTo(0.4);
    expect(mono[mono.length - 1]).toBeCloseTo(0.4);
  });

  it('keeps a 440 Hz tone’s energy (speech-band signals survive the decimation)', () => {
    const tone = Float32Array.from({ length: 48_000 }, (_, index) =>
      Math.sin((2 * Math.PI * 440 * index) / 48_000),
    );

    const mono = toMono16k([tone], 48_000, tone.length);

    const rms = Math.sqrt(mono.reduce((sum, sample) => sum + sample * sample, 0) / mono.length);
    expect(rms).toBeGreaterThan(0.69); // a pure sine's RMS is 0.707
  });

  it('uses only the decoded frames, and copes with no audio', () => {
    expect(toMono16k([new Float32Array(300)], 48_000, 30).length).toBe(10);
    expect(toMono16k([], 48_000, 100).length).toBe(0);
  });
});

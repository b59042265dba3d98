/**
 * PCM → WAV, the one audio format Amazon Connect chat accepts as an attachment. Voice notes are
 * speech, so they are written as 16 kHz, 16-bit mono: telephone-plus quality at 32 KB per second,
 * which fits about ten minutes of speech under Connect's 20 MB limit.
 */

/** Sample rate of the WAV files the relay writes. */
export const WAV_SAMPLE_RATE = 16_000;

/**
 * Mixes channels down to mono and resamples to `WAV_SAMPLE_RATE` with a box filter (the mean of
 * each group of input samples), which is also the low-pass that keeps decimation from aliasing
 * badly. Good enough for speech; it is not a music resampler.
 */
export function toMono16k(
  channels: readonly Float32Array[],
  sampleRate: number,
  frames: number,
): Float32Array {
  if (channels.length === 0 || frames <= 0) return new Float32Array(0);
  const ratio = sampleRate / WAV_SAMPLE_RATE;
  const length = Math.floor(frames / ratio);
  const output = new Float32Array(length);
  for (let index = 0; index < length; index++) {
    const start = Math.floor(index * ratio);
    const end = Math.max(start + 1, Math.min(frames, Math.floor((index + 1) * ratio)));
    let sum = 0;
    for (const channel of channels) {
      for (let frame = start; frame < end; frame++) sum += channel[frame] ?? 0;
    }
    output[index] = sum / ((end - start) * channels.length);
  }
  return output;
}

/** A canonical 44-byte-header PCM WAV file (16-bit little-endian, mono) for the samples in [-1, 1]. */
export function encodeWav(samples: Float32Array, sampleRate: number = WAV_SAMPLE_RATE): Uint8Array {
  const dataBytes = samples.length * 2;
  const buffer = new ArrayBuffer(44 + dataBytes);
  const view = new DataView(buffer);
  const ascii = (offset: number, text: string) => {
    for (let index = 0; index < text.length; index++) view.setUint8(offset + index, text.charCodeAt(index));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let index = 0; index < samples.length; index++) {
    const clamped = Math.max(-1, Math.min(1, samples[index] ?? 0));
    view.setInt16(44 + index * 2, clamped < 0 ? clamped * 0x8000 : clamped * 0x7fff, true);
  }
  return new Uint8Array(buffer);
}

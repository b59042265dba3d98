/**
 * PCM → WAV, the one audio format Amazon Connect chat accepts as an attachment. Voice notes are
 * speech, so they are written as 16-bit mono at the best of three rates whose file still fits
 * under Connect's 20 MB limit: 16 kHz (32 KB/s, about 10.9 minutes), 12 kHz (about 14.5 minutes)
 * or 8 kHz, telephone quality (about 21.8 minutes). A longer note is refused before decoding.
 */

import { OPUS_GRANULE_RATE } from './ogg-opus.js';

/**
 * Output rates, best first. All are rates libopus decodes to directly (RFC 6716 §2: 8, 12, 16,
 * 24 or 48 kHz), so the decoder does the resampling, with its own band limiting.
 */
export const VOICE_SAMPLE_RATES = [16_000, 12_000, 8_000] as const;
export type VoiceSampleRate = (typeof VOICE_SAMPLE_RATES)[number];

const HEADER_BYTES = 44;
const BYTES_PER_SAMPLE = 2;

/** The WAV a voice note becomes, chosen from its length before anything is decoded. */
export type VoiceWavPlan =
  | { readonly fits: true; readonly sampleRate: VoiceSampleRate; readonly samples: number }
  | { readonly fits: false; readonly maxSeconds: number };

/** Picks the best sample rate at which `samples48k` of audio make a WAV of at most `maxBytes`. */
export function planVoiceWav(samples48k: number, maxBytes: number): VoiceWavPlan {
  for (const sampleRate of VOICE_SAMPLE_RATES) {
    const samples = Math.ceil((samples48k * sampleRate) / OPUS_GRANULE_RATE);
    if (HEADER_BYTES + samples * BYTES_PER_SAMPLE <= maxBytes) return { fits: true, sampleRate, samples };
  }
  const lowest = VOICE_SAMPLE_RATES[VOICE_SAMPLE_RATES.length - 1] as VoiceSampleRate;
  return { fits: false, maxSeconds: Math.floor((maxBytes - HEADER_BYTES) / BYTES_PER_SAMPLE / lowest) };
}

/**
 * A 16-bit mono PCM WAV built block by block into one buffer allocated up front, so decoding a
 * long note never holds more than the finished file and one decoded block. Channels are mixed
 * down to mono as they arrive; samples beyond the planned capacity are dropped, so a file that
 * misstates its own length cannot grow the buffer.
 */
export class MonoWavWriter {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private written = 0;

  constructor(
    readonly sampleRate: number,
    private readonly capacity: number,
  ) {
    this.bytes = new Uint8Array(HEADER_BYTES + capacity * BYTES_PER_SAMPLE);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Samples written so far, at `sampleRate`. */
  get samples(): number {
    return this.written;
  }

  /** Mixes `frames` samples of each channel (floats in [-1, 1]) down to mono and appends them. */
  append(channels: readonly Float32Array[], frames: number): void {
    if (channels.length === 0) return;
    const count = Math.min(frames, this.capacity - this.written);
    for (let frame = 0; frame < count; frame++) {
      let sum = 0;
      for (const channel of channels) sum += channel[frame] ?? 0;
      const sample = Math.max(-1, Math.min(1, sum / channels.length));
      const offset = HEADER_BYTES + (this.written + frame) * BYTES_PER_SAMPLE;
      this.view.setInt16(offset, sample < 0 ? sample * 0x8000 : sample * 0x7fff, true);
    }
    this.written += Math.max(0, count);
  }

  /** The canonical 44-byte-header WAV of everything appended (a view of the writer's buffer). */
  finish(): Uint8Array {
    const dataBytes = this.written * BYTES_PER_SAMPLE;
    const ascii = (offset: number, text: string) => {
      for (let index = 0; index < text.length; index++)
        this.view.setUint8(offset + index, text.charCodeAt(index));
    };
    ascii(0, 'RIFF');
    this.view.setUint32(4, 36 + dataBytes, true);
    ascii(8, 'WAVE');
    ascii(12, 'fmt ');
    this.view.setUint32(16, 16, true); // fmt chunk size
    this.view.setUint16(20, 1, true); // PCM
    this.view.setUint16(22, 1, true); // mono
    this.view.setUint32(24, this.sampleRate, true);
    this.view.setUint32(28, this.sampleRate * BYTES_PER_SAMPLE, true); // byte rate
    this.view.setUint16(32, BYTES_PER_SAMPLE, true); // block align
    this.view.setUint16(34, 16, true); // bits per sample
    ascii(36, 'data');
    this.view.setUint32(40, dataBytes, true);
    return this.bytes.subarray(0, HEADER_BYTES + dataBytes);
  }
}

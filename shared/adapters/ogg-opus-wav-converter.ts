import { OggOpusDecoder } from 'ogg-opus-decoder';
import { CONNECT_MAX_ATTACHMENT_BYTES } from '../domain/connect-attachments.js';
import { readOpusStreamInfo } from '../domain/ogg-opus.js';
import { MonoWavWriter, planVoiceWav, type VoiceSampleRate } from '../domain/wav.js';
import {
  MediaConversionError,
  type VoiceConversion,
  type VoiceNoteConverter,
} from '../ports/media-transfer.js';

/** OGG bytes fed to the decoder per step: about half a minute of speech, a few MB decoded. */
const DEFAULT_CHUNK_BYTES = 64 * 1024;

/**
 * `sampleRate` is a documented option of ogg-opus-decoder 1.7.5 (README, "Options": 8000, 12000,
 * 16000, 24000 or 48000) that its types.d.ts leaves out.
 */
type RateAwareDecoder = new (options: { sampleRate: VoiceSampleRate }) => OggOpusDecoder;

export interface OggOpusWavConverterOptions {
  /** Largest WAV to produce; Connect's attachment limit unless a measurement needs another. */
  readonly maxWavBytes?: number;
  readonly chunkBytes?: number;
}

/**
 * WhatsApp voice notes (OGG/Opus) → mono WAV, with libopus compiled to WebAssembly
 * (`ogg-opus-decoder`): pure JavaScript + inline WASM that esbuild bundles like any other module.
 *
 * Memory stays bounded whatever the note's length: its duration is read from the last Ogg page
 * before decoding (a note that cannot fit is refused there), the output rate is chosen from it,
 * and the file is decoded in chunks, each mixed down into a WAV buffer allocated once. libopus
 * decodes straight to the chosen rate. A 30-minute note used to need 1.2 GB (see bench, "Voice
 * notes").
 */
export class OggOpusWavConverter implements VoiceNoteConverter {
  private readonly maxWavBytes: number;
  private readonly chunkBytes: number;

  constructor(options: OggOpusWavConverterOptions = {}) {
    this.maxWavBytes = options.maxWavBytes ?? CONNECT_MAX_ATTACHMENT_BYTES;
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  }

  async toWav(ogg: Uint8Array): Promise<VoiceConversion> {
    const stream = readOpusStreamInfo(ogg);
    if (!stream.valid) throw new MediaConversionError(`Not a complete Ogg/Opus file: ${stream.problem}`);
    const plan = planVoiceWav(stream.samples48k, this.maxWavBytes);
    if (!plan.fits) {
      return { status: 'too-long', durationSeconds: stream.durationSeconds, maxSeconds: plan.maxSeconds };
    }

    // One decoder per file: its state is per stream, and compiling the module takes milliseconds.
    const decoder = new (OggOpusDecoder as unknown as RateAwareDecoder)({ sampleRate: plan.sampleRate });
    const wav = new MonoWavWriter(plan.sampleRate, plan.samples);
    let firstError: string | undefined;
    const take = (decoded: Awaited<ReturnType<OggOpusDecoder['flush']>>) => {
      wav.append(decoded.channelData, decoded.samplesDecoded);
      firstError ??= decoded.errors[0]?.message;
    };
    try {
      await decoder.ready;
      for (let offset = 0; offset < ogg.length; offset += this.chunkBytes) {
        // decode() is typed as synchronous but returns a promise (README: "decode … async").
        take(await decoder.decode(ogg.subarray(offset, offset + this.chunkBytes)));
      }
      take(await decoder.flush());
    } catch (error) {
      throw new MediaConversionError('The voice note could not be decoded', { cause: error });
    } finally {
      decoder.free();
    }
    // Garbage audio pages decode to zero samples rather than throwing; either way it is not audio.
    if (wav.samples === 0) {
      throw new MediaConversionError(`No Opus audio could be decoded${firstError ? `: ${firstError}` : ''}`);
    }
    return {
      status: 'converted',
      wav: wav.finish(),
      durationSeconds: wav.samples / plan.sampleRate,
      sampleRate: plan.sampleRate,
    };
  }
}

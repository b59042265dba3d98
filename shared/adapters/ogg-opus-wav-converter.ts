import { OggOpusDecoder } from 'ogg-opus-decoder';
import { encodeWav, toMono16k, WAV_SAMPLE_RATE } from '../domain/wav.js';
import { MediaConversionError, type VoiceNoteConverter } from '../ports/media-transfer.js';

/**
 * WhatsApp voice notes (OGG/Opus) → 16 kHz mono WAV, with libopus compiled to WebAssembly
 * (`ogg-opus-decoder`). It is pure JavaScript + inline WASM, so esbuild bundles it like any other
 * module: no native binary per CPU architecture, no ffmpeg layer.
 */
export class OggOpusWavConverter implements VoiceNoteConverter {
  async toWav(ogg: Uint8Array): Promise<{ wav: Uint8Array; durationSeconds: number }> {
    // One decoder per file: its state is per stream, and compiling the module takes milliseconds.
    const decoder = new OggOpusDecoder();
    try {
      await decoder.ready;
      const decoded = await decoder.decodeFile(ogg);
      // Garbage input decodes to zero samples rather than throwing; either way it is not audio.
      if (decoded.samplesDecoded === 0) {
        throw new MediaConversionError(
          `No Opus audio could be decoded${decoded.errors.length ? `: ${decoded.errors[0]?.message}` : ''}`,
        );
      }
      const samples = toMono16k(decoded.channelData, decoded.sampleRate, decoded.samplesDecoded);
      return { wav: encodeWav(samples), durationSeconds: samples.length / WAV_SAMPLE_RATE };
    } catch (error) {
      if (error instanceof MediaConversionError) throw error;
      throw new MediaConversionError('The voice note could not be decoded', { cause: error });
    } finally {
      decoder.free();
    }
  }
}

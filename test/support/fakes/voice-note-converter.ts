import type { VoiceNoteConverter } from '../../../shared/ports/media-transfer.js';
import { type Scripted, scripted } from './scripted.js';

/** Converts any note to a WAV marked as such (bytes `WAV:` + the input), 12 seconds long. */
export function scriptedVoiceNoteConverter(): Scripted<VoiceNoteConverter> {
  return scripted<VoiceNoteConverter>({
    toWav: async (ogg) => ({
      status: 'converted',
      wav: new Uint8Array([...new TextEncoder().encode('WAV:'), ...ogg]),
      durationSeconds: 12,
      sampleRate: 16_000,
    }),
  });
}

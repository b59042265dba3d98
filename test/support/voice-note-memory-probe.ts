/**
 * Converts one generated voice note in a process of its own and prints, as one JSON line, what
 * the conversion cost: peak resident memory (`maxRSS`, the figure `/usr/bin/time -v` reports),
 * CPU time and the outcome. The memory test and `npm run bench` both run it, so the figure is free
 * of the test runner's own memory:
 *   tsx test/support/voice-note-memory-probe.ts <seconds> [maxWavBytes]
 * `maxWavBytes` lifts Connect's 20 MB limit, to show that decoding memory stays bounded however
 * long the note.
 */
import { OggOpusWavConverter } from '../../shared/adapters/ogg-opus-wav-converter.js';
import { longVoiceNote } from './long-voice-note.js';

const seconds = Number(process.argv[2]);
const maxWavBytes = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
if (!Number.isFinite(seconds) || seconds <= 0) {
  throw new Error('Usage: voice-note-memory-probe <seconds> [maxWavBytes]');
}

const ogg = longVoiceNote(seconds);
const before = process.resourceUsage();
const startedAt = performance.now();
const result = await new OggOpusWavConverter(maxWavBytes ? { maxWavBytes } : {}).toWav(ogg);
const wallMs = performance.now() - startedAt;
const after = process.resourceUsage();

console.log(
  JSON.stringify({
    seconds,
    oggBytes: ogg.byteLength,
    outcome: result.status,
    durationSeconds: result.durationSeconds,
    ...(result.status === 'converted'
      ? { sampleRate: result.sampleRate, wavBytes: result.wav.byteLength }
      : { maxSeconds: result.maxSeconds }),
    rssBeforeMb: Math.round(before.maxRSS / 1024),
    peakRssMb: Math.round(after.maxRSS / 1024),
    cpuMs: Math.round(
      (after.userCPUTime + after.systemCPUTime - before.userCPUTime - before.systemCPUTime) / 1000,
    ),
    wallMs: Math.round(wallMs),
  }),
);

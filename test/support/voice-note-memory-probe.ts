/**
 * Converts one generated voice note in a process of its own and prints, as one JSON line, what
 * the conversion cost: peak resident memory (`maxRSS`, as `/usr/bin/time -v` reports it), CPU
 * time and the outcome. Run it as `tsx test/support/voice-note-memory-probe.ts <seconds>`; the
 * memory test and `npm run bench` both do, so the figure is free of the test runner's own memory.
 */
import { OggOpusWavConverter } from '../../shared/adapters/ogg-opus-wav-converter.js';
import { longVoiceNote } from './long-voice-note.js';

const seconds = Number(process.argv[2]);
if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('Usage: voice-note-memory-probe <seconds>');

const ogg = longVoiceNote(seconds);
const before = process.resourceUsage();
const startedAt = performance.now();
const result = await new OggOpusWavConverter().toWav(ogg);
const wallMs = performance.now() - startedAt;
const after = process.resourceUsage();

const outcome =
  'wav' in result ? { outcome: 'converted', wavBytes: result.wav.byteLength } : { outcome: 'refused' };
console.log(
  JSON.stringify({
    seconds,
    oggBytes: ogg.byteLength,
    ...outcome,
    durationSeconds: result.durationSeconds,
    rssBeforeMb: Math.round(before.maxRSS / 1024),
    peakRssMb: Math.round(after.maxRSS / 1024),
    cpuMs: Math.round(
      (after.userCPUTime + after.systemCPUTime - before.userCPUTime - before.systemCPUTime) / 1000,
    ),
    wallMs: Math.round(wallMs),
  }),
);

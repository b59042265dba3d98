import { execFileSync } from 'node:child_process';

export interface VoiceNoteRow {
  note: string;
  outcome: string;
  wavRateHz: number | string;
  wavMB: number | string;
  peakRssMB: number;
  cpuMs: number;
  goal: string;
}

/** The deployed inbound function has 512 MB; the conversion must leave room for the rest. */
const MEMORY_GOAL_MB = 400;

const CASES: readonly { minutes: number; maxWavBytes?: number; label?: string }[] = [
  { minutes: 2 },
  { minutes: 10 },
  { minutes: 13 },
  { minutes: 21 },
  { minutes: 30 },
  // Connect's limit lifted: shows the decode itself is bounded, not just refused.
  { minutes: 30, maxWavBytes: 64 * 1024 * 1024, label: '30 min, 20 MB limit lifted' },
];

/**
 * Peak memory and CPU of converting WhatsApp voice notes to WAV, each in a fresh node process
 * (test/support/voice-note-memory-probe.ts), built from the recorded fixture by repeating its
 * audio pages. Before the streaming converter, 10 minutes peaked at 518 MB and 30 at 1.2 GB.
 */
export function measureVoiceNotes(): VoiceNoteRow[] {
  return CASES.map(({ minutes, maxWavBytes, label }) => {
    const args = ['test/support/voice-note-memory-probe.ts', String(minutes * 60)];
    if (maxWavBytes) args.push(String(maxWavBytes));
    const stdout = execFileSync('node_modules/.bin/tsx', args, { encoding: 'utf8' });
    const probe = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      outcome: string;
      sampleRate?: number;
      wavBytes?: number;
      peakRssMb: number;
      cpuMs: number;
    };
    return {
      note: label ?? `${minutes} min`,
      outcome: probe.outcome === 'converted' ? 'converted to WAV' : 'refused before decoding',
      wavRateHz: probe.sampleRate ?? '-',
      wavMB: probe.wavBytes ? Math.round((probe.wavBytes / (1024 * 1024)) * 10) / 10 : '-',
      peakRssMB: probe.peakRssMb,
      cpuMs: probe.cpuMs,
      goal: probe.peakRssMb < MEMORY_GOAL_MB ? `< ${MEMORY_GOAL_MB} MB ✓` : `< ${MEMORY_GOAL_MB} MB ✗`,
    };
  });
}

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Peak memory must leave room under the deployed 512 MB for the runtime, the SDK and the batch. */
const MEMORY_BAR_MB = 400;

interface Probe {
  seconds: number;
  outcome: 'converted' | 'too-long';
  durationSeconds: number;
  wavBytes?: number;
  peakRssMb: number;
  cpuMs: number;
}

/** Converts a generated note in a fresh node process, so the figure is the conversion's own. */
async function convertInOwnProcess(seconds: number): Promise<Probe> {
  const { stdout } = await run(
    'node_modules/.bin/tsx',
    ['test/support/voice-note-memory-probe.ts', String(seconds)],
    {
      maxBuffer: 1024 * 1024,
    },
  );
  const probe = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Probe;
  console.log(
    `voice note ${seconds / 60} min: ${probe.outcome}, peak RSS ${probe.peakRssMb} MB, CPU ${probe.cpuMs} ms`,
  );
  return probe;
}

describe('OggOpusWavConverter: long voice notes fit in the inbound function’s memory', () => {
  it('refuses a 30-minute voice note without going anywhere near 400 MB', async () => {
    // Act
    const probe = await convertInOwnProcess(30 * 60);

    // Assess
    expect(probe.peakRssMb).toBeLessThan(MEMORY_BAR_MB);
    expect(probe.outcome).toBe('too-long');
    expect(probe.durationSeconds).toBeCloseTo(30 * 60, 0);
  }, 60_000);

  it('converts a 21-minute voice note, the longest that fits in 20 MB, under 400 MB', async () => {
    // Act
    const probe = await convertInOwnProcess(21 * 60);

    // Assess
    expect(probe.peakRssMb).toBeLessThan(MEMORY_BAR_MB);
    expect(probe.outcome).toBe('converted');
    expect(probe.wavBytes).toBeLessThanOrEqual(20 * 1024 * 1024);
    expect(probe.durationSeconds).toBeCloseTo(21 * 60, 0);
  }, 60_000);
});

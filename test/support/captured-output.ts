import { vi } from 'vitest';

/**
 * Captures what Powertools writes (with POWERTOOLS_DEV=true it uses the global console), so tests
 * can assert on metrics (EMF) and on what reaches the logs.
 */
export type CapturedOutput = ReturnType<typeof captureOutput>;

export function captureOutput() {
  const lines: string[] = [];
  const record = (...args: unknown[]) => {
    lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
  };
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation(record),
  );
  return {
    lines,
    /** Sum of a metric across every EMF document printed, optionally filtered by dimensions. */
    metric(name: string, dimensions: Record<string, string> = {}): number {
      let total = 0;
      for (const line of lines) {
        if (!line.includes('"_aws"')) continue;
        const doc = JSON.parse(line) as Record<string, unknown>;
        if (!(name in doc)) continue;
        if (Object.entries(dimensions).some(([key, value]) => doc[key] !== value)) continue;
        const value = doc[name];
        total += Array.isArray(value) ? value.reduce((sum: number, v: number) => sum + v, 0) : Number(value);
      }
      return total;
    },
    clear() {
      lines.length = 0;
    },
    restore() {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

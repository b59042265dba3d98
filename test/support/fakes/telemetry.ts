import type { LatencyMetricName, MetricName, Telemetry } from '../../../shared/ports/telemetry.js';

type Level = 'info' | 'warn' | 'error';

/** Telemetry that remembers what was counted and logged, so a test can assert on it. */
export class RecordingTelemetry implements Telemetry {
  readonly counts: { metric: MetricName; dimensions: Readonly<Record<string, string>> }[] = [];
  readonly logs: { level: Level; message: string; attributes: Readonly<Record<string, unknown>> }[] = [];

  readonly measurements: { metric: LatencyMetricName; milliseconds: number }[] = [];

  count(metric: MetricName, dimensions: Readonly<Record<string, string>> = {}): void {
    this.counts.push({ metric, dimensions });
  }
  measure(metric: LatencyMetricName, milliseconds: number): void {
    this.measurements.push({ metric, milliseconds });
  }
  /** Every sample of a latency metric, in the order measured. */
  measured(metric: LatencyMetricName): number[] {
    return this.measurements.filter((entry) => entry.metric === metric).map((entry) => entry.milliseconds);
  }
  info = (message: string, attributes = {}) => this.log('info', message, attributes);
  warn = (message: string, attributes = {}) => this.log('warn', message, attributes);
  error = (message: string, attributes = {}) => this.log('error', message, attributes);

  /** How often `metric` was counted with (at least) these dimensions. */
  counted(metric: MetricName, dimensions: Readonly<Record<string, string>> = {}): number {
    return this.counts.filter(
      (entry) =>
        entry.metric === metric &&
        Object.entries(dimensions).every(([name, value]) => entry.dimensions[name] === value),
    ).length;
  }

  private log(level: Level, message: string, attributes: Readonly<Record<string, unknown>>): void {
    this.logs.push({ level, message, attributes });
  }
}

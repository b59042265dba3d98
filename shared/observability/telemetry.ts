import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../config/metrics-namespace.js';
import { createLogReplacer } from '../domain/masking.js';
import type { LatencyMetricName, MetricName, Telemetry } from '../ports/telemetry.js';

/**
 * Powertools logger and metrics for one function. Logs are JSON; phone numbers, bodies and tokens
 * are masked by a replacer even if a caller forgets to mask them.
 */
export function createObservability(serviceName: string) {
  const logger = new Logger({ serviceName, jsonReplacerFn: createLogReplacer() });
  const metrics = new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
    serviceName,
  });
  const telemetry = new PowertoolsTelemetry(logger, metrics);
  return { logger, metrics, flushMetrics: () => telemetry.flush(), telemetry };
}

export class PowertoolsTelemetry implements Telemetry {
  /** Dimensioned counts of this invocation, summed and published once by `flush`. */
  private readonly dimensioned = new Map<
    string,
    { metric: MetricName; dimensions: Record<string, string>; count: number }
  >();

  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  count(metric: MetricName, dimensions?: Readonly<Record<string, string>>): void {
    if (!dimensions || Object.keys(dimensions).length === 0) {
      this.metrics.addMetric(metric, MetricUnit.Count, 1);
      return;
    }
    // Summed per invocation rather than printed per message: one EMF document per metric and
    // dimension set, however many messages the batch held.
    const key = `${metric}|${JSON.stringify(dimensions)}`;
    const entry = this.dimensioned.get(key);
    if (entry) entry.count += 1;
    else this.dimensioned.set(key, { metric, dimensions: { ...dimensions }, count: 1 });
  }

  measure(metric: LatencyMetricName, milliseconds: number): void {
    // Undimensioned (Powertools adds `service`): repeated values become one EMF array, and
    // CloudWatch computes percentiles over every value in it (EMF specification, "Values").
    this.metrics.addMetric(metric, MetricUnit.Milliseconds, Math.max(0, Math.round(milliseconds)));
  }

  /** Publishes this invocation's metrics; called once at the end of each invocation. */
  flush(): void {
    for (const { metric, dimensions, count } of this.dimensioned.values()) {
      // Dimensioned counts go out on their own so they do not stamp dimensions on the others.
      const single = this.metrics.singleMetric();
      single.addDimensions(dimensions);
      single.addMetric(metric, MetricUnit.Count, count);
    }
    this.dimensioned.clear();
    // Publish only when something was counted, so idle invocations do not log a warning.
    if (this.metrics.hasStoredMetrics()) this.metrics.publishStoredMetrics();
  }

  info(message: string, attributes: Readonly<Record<string, unknown>> = {}): void {
    this.logger.info(message, { ...attributes });
  }

  warn(message: string, attributes: Readonly<Record<string, unknown>> = {}): void {
    this.logger.warn(message, { ...attributes });
  }

  error(message: string, attributes: Readonly<Record<string, unknown>> = {}): void {
    this.logger.error(message, { ...attributes });
  }
}

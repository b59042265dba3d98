import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { createLogReplacer } from '../domain/masking.js';
import type { MetricName, Telemetry } from '../ports/telemetry.js';

/** Metric namespace shared by every function, so one dashboard reads them all. */
export const METRICS_NAMESPACE = 'WhatsAppConnectRelay';

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
  // Publish only when something was counted, so idle invocations do not log a warning.
  const flushMetrics = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { logger, metrics, flushMetrics, telemetry: new PowertoolsTelemetry(logger, metrics) };
}

export class PowertoolsTelemetry implements Telemetry {
  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  count(metric: MetricName, dimensions?: Readonly<Record<string, string>>): void {
    if (!dimensions || Object.keys(dimensions).length === 0) {
      this.metrics.addMetric(metric, MetricUnit.Count, 1);
      return;
    }
    // Dimensioned counts go out on their own so they do not stamp dimensions on the others.
    const single = this.metrics.singleMetric();
    single.addDimensions({ ...dimensions });
    single.addMetric(metric, MetricUnit.Count, 1);
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

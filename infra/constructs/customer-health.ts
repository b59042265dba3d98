import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { BusinessNumberConfig } from '../../shared/config/business-numbers.js';
import type { RelayObservability } from './observability.js';
import { searchBy, serviceMetric } from './observability.js';

/** The Powertools service names of the two relays (RelayFunction's serviceName). */
export const RELAY_SERVICES = { inbound: 'whatsapp-inbound', outbound: 'whatsapp-outbound' } as const;

export interface CustomerHealthSettings {
  readonly latencyP95Seconds: number;
  readonly deliveryFailedPercent: number;
  readonly deliveryMinimumSent: number;
  readonly silenceMinutes: number;
  readonly silenceBandStandardDeviations: number;
}

const FIVE_MINUTES = Duration.minutes(5);
/** The anomaly model's period: short enough to notice silence, long enough to smooth quiet minutes. */
const SILENCE_PERIOD = Duration.minutes(15);

/**
 * The dashboard's headline and the alarms that answer "are customers getting through, and how
 * fast?": end-to-end latency per direction, delivery to WhatsApp, the number's standing with Meta,
 * and silence per business number (docs/operations.md says why anomaly detection).
 */
export function monitorCustomerHealth(
  observability: RelayObservability,
  settings: CustomerHealthSettings,
  businessNumbers: readonly Pick<BusinessNumberConfig, 'phoneNumberId'>[],
): void {
  const latency = [
    latencyHeadline(observability, 'Inbound', 'InboundLatency', RELAY_SERVICES.inbound, settings),
    latencyHeadline(observability, 'Outbound', 'OutboundLatency', RELAY_SERVICES.outbound, settings),
  ];
  const delivery = deliveryHealth(observability, settings);
  const silence = businessNumbers.map((number, index) =>
    silenceAlarm(observability, number.phoneNumberId, index, settings),
  );
  observability.dashboard.addWidgets(
    new cloudwatch.TextWidget({
      markdown: '## Are customers getting through? (last 5 minutes; runbook: docs/operations.md)',
      width: 24,
      height: 1,
    }),
    ...latency.flatMap((row) => row.widgets),
  );
  observability.dashboard.addWidgets(...delivery.widgets, ...silenceWidgets(businessNumbers, silence));
}

function latencyHeadline(
  observability: RelayObservability,
  direction: 'Inbound' | 'Outbound',
  /** A LatencyMetricName of shared/ports/telemetry.ts (infra imports only config from shared). */
  metricName: 'InboundLatency' | 'OutboundLatency',
  serviceName: string,
  settings: CustomerHealthSettings,
) {
  const at = (statistic: string) =>
    serviceMetric(metricName, serviceName, {
      statistic,
      period: FIVE_MINUTES,
      label: `${direction} ${statistic}`,
    });
  const alarm = observability.alarm(
    `${direction}LatencyP95`,
    {
      subject: `${direction}Latency`,
      meaning: `95% of ${direction.toLowerCase()} messages took longer than ${settings.latencyP95Seconds} s end to end for 15 minutes; customers wait.`,
      firstStep: 'open the dashboard headline and run the saved query "relay/slowest-messages".',
      runbook: 'latency',
    },
    {
      metric: at('p95'),
      threshold: settings.latencyP95Seconds * 1000,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // No messages, no latency: silence has its own alarm.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    },
  );
  const widgets = [
    new cloudwatch.SingleValueWidget({
      title: `${direction}: latency p50 / p95 (ms) and messages relayed, last 5 minutes`,
      metrics: [
        at('p50'),
        at('p95'),
        serviceMetric(metricName, serviceName, {
          statistic: 'SampleCount',
          period: FIVE_MINUTES,
          label: `${direction} messages`,
        }),
      ],
      period: FIVE_MINUTES,
      width: 8,
      height: 4,
    }),
    new cloudwatch.GraphWidget({
      title: `${direction}: latency p50 / p95 (ms)`,
      left: [at('p50'), at('p95')],
      leftAnnotations: [{ value: settings.latencyP95Seconds * 1000, label: 'alarm (p95)' }],
      width: 4,
      height: 4,
    }),
  ];
  return { alarm, widgets };
}

function deliveryHealth(observability: RelayObservability, settings: CustomerHealthSettings) {
  const status = (value: string) =>
    serviceMetric('StatusesReceived', RELAY_SERVICES.inbound, {
      dimensions: { Status: value },
      period: FIVE_MINUTES,
    });
  const usingMetrics = {
    sent: status('sent'),
    delivered: status('delivered'),
    read: status('read'),
    failed: status('failed'),
  };
  const rate = (
    expression: string,
    label: string,
    using: Record<string, cloudwatch.IMetric> = usingMetrics,
  ) => new cloudwatch.MathExpression({ expression, usingMetrics: using, label, period: FIVE_MINUTES });
  const failedRate = rate(
    `IF(sent >= ${settings.deliveryMinimumSent}, 100 * FILL(failed, 0) / sent, 0)`,
    'failed % of sent',
    { sent: usingMetrics.sent, failed: usingMetrics.failed },
  );
  const deliveryAlarm = observability.alarm(
    'DeliveryFailedRate',
    {
      subject: 'Delivery',
      meaning: `more than ${settings.deliveryFailedPercent}% of messages sent to WhatsApp failed for 15 minutes; customers are not getting replies.`,
      firstStep: 'read "failed, by Meta error code" on the dashboard and look the code up in the runbook.',
      runbook: 'deliveryFailures',
    },
    {
      metric: failedRate,
      threshold: settings.deliveryFailedPercent,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    },
  );
  const warnings = serviceMetric('AccountHealthEvents', RELAY_SERVICES.inbound, {
    dimensions: { Severity: 'Warning' },
    period: FIVE_MINUTES,
  });
  const healthAlarm = observability.alarm(
    'AccountHealth',
    {
      subject: 'AccountHealth',
      meaning:
        'Meta flagged the business number, lowered its quality or limit, or restricted the account; Meta throttles or blocks sends next.',
      firstStep: 'run the saved query "relay/failures-by-reason" for the event, then check WhatsApp Manager.',
      runbook: 'accountHealth',
    },
    {
      metric: warnings,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    },
  );
  const widgets = [
    new cloudwatch.GraphWidget({
      title: 'Delivery to WhatsApp: delivered and read, % of sent',
      left: [
        rate('IF(sent > 0, 100 * FILL(delivered, 0) / sent, 0)', 'delivered % of sent'),
        rate('IF(sent > 0, 100 * FILL(read, 0) / sent, 0)', 'read % of sent'),
        failedRate,
      ],
      leftAnnotations: [{ value: settings.deliveryFailedPercent, label: 'alarm (failed %)' }],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Delivery to WhatsApp: failed, by Meta error code',
      left: [searchBy(['Code', 'service'], 'WhatsAppDeliveryFailures', RELAY_SERVICES.inbound)],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Business number and account events from Meta, by event',
      left: [searchBy(['Event', 'Field', 'service'], 'AccountEvents', RELAY_SERVICES.inbound)],
      width: 8,
    }),
    new cloudwatch.AlarmStatusWidget({
      title: 'Customer health alarms',
      alarms: [deliveryAlarm, healthAlarm],
      width: 8,
      height: 3,
    }),
  ];
  return { widgets };
}

/**
 * Silence: the number's inbound events (messages and statuses), with an empty period counted as 0,
 * against an anomaly detection band learnt from the number's own hours. At night the band's lower
 * edge is at 0, so a quiet night never breaches; in a busy hour, 0 is below it.
 */
function silenceAlarm(
  observability: RelayObservability,
  phoneNumberId: string,
  index: number,
  settings: CustomerHealthSettings,
): cloudwatch.Alarm {
  const events = new cloudwatch.MathExpression({
    expression: 'FILL(events, 0)',
    usingMetrics: {
      events: serviceMetric('InboundEvents', RELAY_SERVICES.inbound, {
        dimensions: { BusinessNumber: phoneNumberId },
        period: SILENCE_PERIOD,
      }),
    },
    label: `${phoneNumberId} inbound events`,
    period: SILENCE_PERIOD,
  });
  return observability.anomalyAlarm(
    `Silence${index}`,
    {
      subject: `Silence ${phoneNumberId}`,
      meaning: `no inbound WhatsApp events for ${settings.silenceMinutes} minutes at an hour this number normally has traffic: the event destination or topic policy may be broken.`,
      firstStep: 'check the WABA event destination (npm run doctor) and the inbound topic policy.',
      runbook: 'silence',
    },
    {
      metric: events,
      evaluationPeriods: settings.silenceMinutes / SILENCE_PERIOD.toMinutes(),
      stdDevs: settings.silenceBandStandardDeviations,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_LOWER_THRESHOLD,
      // FILL gives every period a value; while the model trains the band is absent and the alarm waits.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    },
  );
}

function silenceWidgets(
  businessNumbers: readonly Pick<BusinessNumberConfig, 'phoneNumberId'>[],
  alarms: readonly cloudwatch.Alarm[],
): cloudwatch.IWidget[] {
  return [
    new cloudwatch.GraphWidget({
      title: 'Inbound events per business number, with the expected band',
      // Each number's series and its band, with ids of their own (one graph holds them all).
      left: businessNumbers.flatMap((number, index) => {
        const events = serviceMetric('InboundEvents', RELAY_SERVICES.inbound, {
          dimensions: { BusinessNumber: number.phoneNumberId },
          period: SILENCE_PERIOD,
          label: `${number.phoneNumberId} events`,
        });
        return [
          events,
          new cloudwatch.MathExpression({
            expression: `ANOMALY_DETECTION_BAND(n${index}, 3)`,
            usingMetrics: { [`n${index}`]: events },
            label: `${number.phoneNumberId} expected`,
            period: SILENCE_PERIOD,
          }),
        ];
      }),
      width: 16,
    }),
    new cloudwatch.AlarmStatusWidget({ title: 'Silence alarms', alarms: [...alarms], width: 8 }),
  ];
}

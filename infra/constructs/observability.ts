import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/config/metrics-namespace.js';
import { cloudWatchAlarmConditions } from './encryption.js';
import type { RelayQueue } from './relay-queue.js';
import { alarmDescription, type RunbookEntry, runbookLink } from './runbook.js';

export interface ObservabilityProps {
  readonly key: kms.IKey;
  readonly alarmEmail?: string;
  /** Where docs/operations.md is published; alarm descriptions link its entries (runbook.ts). */
  readonly runbookUrl?: string;
}

/** What an alarm means and what on-call does first; the description adds the runbook link. */
export interface AlarmText {
  readonly subject: string;
  readonly meaning: string;
  readonly firstStep: string;
  readonly runbook: RunbookEntry;
}

/**
 * What on-call looks at: one dashboard for the whole relay, and alarms that each mean
 * "a person must act". Every alarm is made through `alarm`, so each one notifies the alarm topic
 * and says what to do, with a link to its runbook entry in docs/operations.md.
 */
export class RelayObservability extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  private readonly runbookUrl: string | undefined;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.runbookUrl = props.runbookUrl;
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'WhatsApp relay alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    // CloudWatch publishes alarm actions as cloudwatch.amazonaws.com, which needs an sns:Publish
    // Allow in the topic policy (re:Post knowledge center, cloudwatch-receive-sns-for-alarm-trigger),
    // here for this account's alarms only. The key grants it too (RelayEncryption).
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: cloudWatchAlarmConditions(this),
      }),
    );
    if (props.alarmEmail)
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
    });
  }

  /** An alarm that notifies the alarm topic, described by what it means, what to do, and its runbook entry. */
  alarm(
    id: string,
    text: AlarmText,
    props: Omit<cloudwatch.AlarmProps, 'alarmDescription'>,
  ): cloudwatch.Alarm {
    return this.notify(new cloudwatch.Alarm(this, id, { ...props, alarmDescription: this.describe(text) }));
  }

  /** The same for an alarm on an anomaly detection band. */
  anomalyAlarm(
    id: string,
    text: AlarmText,
    props: Omit<cloudwatch.AnomalyDetectionAlarmProps, 'alarmDescription'>,
  ): cloudwatch.Alarm {
    return this.notify(
      new cloudwatch.AnomalyDetectionAlarm(this, id, { ...props, alarmDescription: this.describe(text) }),
    );
  }

  private describe(text: AlarmText): string {
    return alarmDescription(
      text.subject,
      text.meaning,
      text.firstStep,
      runbookLink(text.runbook, this.runbookUrl),
    );
  }

  private notify(alarm: cloudwatch.Alarm): cloudwatch.Alarm {
    alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
    return alarm;
  }

  /** Alarms and dashboard rows for one relay direction (function + queue + DLQ). */
  monitorRelay(name: string, serviceName: string, fn: lambda.IFunction, relayQueue: RelayQueue): void {
    const deadLettered = relayQueue.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: 'Maximum',
    });
    const oldestAge = relayQueue.queue.metricApproximateAgeOfOldestMessage({
      period: Duration.minutes(1),
      statistic: 'Maximum',
    });
    const failures = serviceMetric('RelayFailures', serviceName);
    const alarms = [
      this.alarm(
        `${name}DeadLetters`,
        {
          subject: name,
          meaning: 'messages in the dead-letter queue; those customers or agents were not relayed.',
          firstStep: 'run the saved query "relay/dlq-explained", fix the cause, then redrive.',
          runbook: 'deadLetters',
        },
        {
          metric: deadLettered,
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        },
      ),
      this.alarm(
        `${name}Backlog`,
        {
          subject: name,
          meaning: 'oldest queued message older than 5 minutes; customers are waiting.',
          firstStep:
            'check the function errors and throttles on the dashboard; look for a stuck message group.',
          runbook: 'backlog',
        },
        {
          metric: oldestAge,
          threshold: 300,
          evaluationPeriods: 3,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        },
      ),
      this.alarm(
        `${name}FunctionErrors`,
        {
          subject: name,
          meaning: 'the function itself failed (not a single record); its whole batch is retried.',
          firstStep: 'run the saved query "relay/failures-by-reason" and read the function’s errors.',
          runbook: 'functionErrors',
        },
        {
          metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        },
      ),
      this.alarm(
        `${name}RetriedFailures`,
        {
          subject: name,
          meaning: 'more than 20 records failed and were retried in 5 minutes (throttling or an AWS fault).',
          firstStep: 'run the saved query "relay/failures-by-reason"; check the AWS Health Dashboard.',
          runbook: 'retriedFailures',
        },
        {
          metric: failures,
          threshold: 20,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        },
      ),
    ];

    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: `## ${name}`, width: 24, height: 1 }),
      new cloudwatch.GraphWidget({
        title: `${name}: relayed, by message type`,
        left: [searchBy(['MessageType', 'service'], 'MessagesRelayed', serviceName)],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: `${name}: failures and skips, by reason`,
        left: [
          searchBy(
            ['Reason', 'service'],
            ['RelayFailures', 'RejectedRecords', 'MediaNotAttached', 'MalformedItems'],
            serviceName,
          ),
          serviceMetric('DuplicatesSkipped', serviceName),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: `${name}: queue`,
        left: [relayQueue.queue.metricApproximateNumberOfMessagesVisible(), deadLettered],
        right: [oldestAge],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: `${name}: duration p50 / p99`,
        left: [fn.metricDuration({ statistic: 'p50' }), fn.metricDuration({ statistic: 'p99' })],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: `${name}: errors and throttles`,
        left: [fn.metricErrors(), fn.metricThrottles()],
        width: 8,
      }),
      new cloudwatch.AlarmStatusWidget({ title: `${name}: alarms`, alarms, width: 8 }),
    );
  }
}

/** A Powertools metric of one function without extra dimensions (Powertools always adds `service`). */
export function serviceMetric(
  metricName: string,
  serviceName: string,
  options: {
    statistic?: string;
    period?: Duration;
    label?: string;
    dimensions?: Record<string, string>;
  } = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { ...options.dimensions, service: serviceName },
    statistic: options.statistic ?? 'Sum',
    period: options.period ?? Duration.minutes(5),
    ...(options.label ? { label: options.label } : {}),
  });
}

/** One line per value of a dimension, for a graph (SEARCH cannot be used in alarms). */
export function searchBy(
  dimensions: readonly string[],
  metricNames: string | readonly string[],
  serviceName: string,
): cloudwatch.MathExpression {
  const names = (typeof metricNames === 'string' ? [metricNames] : metricNames)
    .map((name) => `MetricName="${name}"`)
    .join(' OR ');
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},${dimensions.join(',')}} (${names}) service="${serviceName}"', 'Sum', 300)`,
    label: '',
    period: Duration.minutes(5),
  });
}

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

export interface ObservabilityProps {
  readonly key: kms.IKey;
  readonly alarmEmail?: string;
}

/**
 * What on-call looks at: one dashboard for the whole relay, and alarms that each mean
 * "a person must act" (messages dead-lettered, a backlog building, the function failing).
 */
export class RelayObservability extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
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
    const failures = this.relayMetric('RelayFailures', serviceName);
    const alarms = [
      new cloudwatch.Alarm(this, `${name}DeadLetters`, {
        alarmDescription: `${name}: messages in the dead-letter queue. Read RejectReason on each, fix, then redrive (README → Operations).`,
        metric: deadLettered,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, `${name}Backlog`, {
        alarmDescription: `${name}: oldest queued message older than 5 minutes; customers are waiting.`,
        metric: oldestAge,
        threshold: 300,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, `${name}FunctionErrors`, {
        alarmDescription: `${name}: the function itself failed (not a single record). Check its logs.`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, `${name}RetriedFailures`, {
        alarmDescription: `${name}: more than 20 records failed and were retried in 5 minutes (throttling or an AWS fault).`,
        metric: failures,
        threshold: 20,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ];
    for (const alarm of alarms) alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));

    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: `## ${name}`, width: 24, height: 1 }),
      new cloudwatch.GraphWidget({
        title: `${name}: relayed, by message type`,
        left: [
          new cloudwatch.MathExpression({
            expression: `SEARCH('{${METRICS_NAMESPACE},MessageType,service} MetricName="MessagesRelayed"', 'Sum', 60)`,
            label: '',
            period: Duration.minutes(1),
          }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: `${name}: failures and skips`,
        left: [
          new cloudwatch.MathExpression({
            expression: `SEARCH('{${METRICS_NAMESPACE},Reason,service} MetricName="RelayFailures" OR MetricName="RejectedRecords" OR MetricName="MediaNotAttached"', 'Sum', 60)`,
            label: '',
            period: Duration.minutes(1),
          }),
          this.relayMetric('DuplicatesSkipped', serviceName),
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

  /** A Powertools metric without extra dimensions (Powertools always adds `service`). */
  private relayMetric(metricName: string, serviceName: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: serviceName },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
  }
}

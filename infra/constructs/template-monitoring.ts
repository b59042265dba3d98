import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { GUIDE_FUNCTION_TIMEOUT_SECONDS } from '../../shared/config/guide-timing.js';
import type { RelayObservability } from './observability.js';
import { searchBy, serviceMetric } from './observability.js';

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Send failures that need a person: refused by WhatsApp or Meta, a template gone, an unknown error,
 * a send whose outcome is not known. Throttled and OutOfTime ask the agent to press Send again
 * and are graphed, not alarmed (TemplateSendFailure in shared/ports/template-sender.ts).
 */
const ALARMED_SEND_FAILURES = [
  'Rejected',
  'MetaRefused',
  'NotFound',
  'Unavailable',
  'Unconfirmed',
  'Unknown',
  'Unexpected',
];

/** The agent-initiated template functions as one more dashboard row, with the relays' alarms. */
export function monitorTemplateFunctions(
  observability: RelayObservability,
  functions: readonly { name: string; serviceName: string; fn: lambda.IFunction }[],
  sendTemplateService: string,
): void {
  const alarms = functions.flatMap(({ name, fn }) => [
    observability.alarm(
      `${name}FunctionErrors`,
      {
        subject: name,
        meaning: 'the function itself failed; agents see "Nothing was sent" in the guide.',
        firstStep: 'run the saved query "relay/failures-by-reason" and read the function’s errors.',
        runbook: 'templateErrors',
      },
      {
        metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
    ),
    observability.alarm(
      `${name}Throttles`,
      {
        subject: name,
        meaning: 'Lambda throttled the function; the guide answers nothing and agents retry.',
        firstStep: 'check the account’s Lambda concurrency (other functions may take it all).',
        runbook: 'templateThrottles',
      },
      {
        metric: fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
    ),
    observability.alarm(
      `${name}Slow`,
      {
        subject: name,
        meaning: `p95 duration above ${(GUIDE_FUNCTION_TIMEOUT_SECONDS * 750) / 1000} s for 15 minutes; the guide's flow stops waiting at 8 s.`,
        firstStep: 'look at the EUM Social and Connect latency on the AWS Health Dashboard.',
        runbook: 'templateSlow',
      },
      {
        metric: fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p95' }),
        threshold: GUIDE_FUNCTION_TIMEOUT_SECONDS * 750,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
    ),
  ]);
  const failures = Object.fromEntries(
    ALARMED_SEND_FAILURES.map((reason, index) => [
      `r${index}`,
      serviceMetric('TemplateSendFailures', sendTemplateService, {
        dimensions: { Reason: reason },
        period: FIVE_MINUTES,
      }),
    ]),
  );
  const sendFailures = observability.alarm(
    'TemplateSendFailures',
    {
      subject: 'TemplateSends',
      meaning:
        'agent-initiated templates failed to send (refused, unknown or unconfirmed) in the last 5 minutes.',
      firstStep: 'run the saved query "relay/failures-by-reason" for the Reason.',
      runbook: 'templateSendFailures',
    },
    {
      metric: new cloudwatch.MathExpression({
        expression: Object.keys(failures)
          .map((id) => `FILL(${id}, 0)`)
          .join(' + '),
        usingMetrics: failures,
        label: 'template send failures',
        period: FIVE_MINUTES,
      }),
      threshold: 3,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    },
  );

  observability.dashboard.addWidgets(
    new cloudwatch.TextWidget({ markdown: '## Agent-initiated templates', width: 24, height: 1 }),
    new cloudwatch.GraphWidget({
      title: 'Templates: sends and failures, by reason',
      left: [
        searchBy(['Template', 'service'], 'TemplatesSent', sendTemplateService),
        searchBy(
          ['Reason', 'service'],
          ['TemplateSendFailures', 'TemplateFormRejected'],
          sendTemplateService,
        ),
      ],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Templates: duration p50 / p95',
      left: functions.flatMap(({ fn }) => [
        fn.metricDuration({ statistic: 'p50' }),
        fn.metricDuration({ statistic: 'p95' }),
      ]),
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Templates: errors and throttles',
      left: functions.flatMap(({ fn }) => [fn.metricErrors(), fn.metricThrottles()]),
      width: 8,
    }),
    new cloudwatch.AlarmStatusWidget({
      title: 'Templates: alarms',
      alarms: [...alarms, sendFailures],
      width: 24,
      height: 3,
    }),
  );
}

import { type CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';

import { ListSubscriptionsByTopicCommand, type SNSClient, type Subscription } from '@aws-sdk/client-sns';
import { type CheckLine, fail, pass } from '../checklist.js';
import { readOrFail } from '../clients.js';
import { type Deployment, physicalIdsOf } from '../deployment.js';
import type { DoctorTarget } from '../target.js';
import { alarmTopicArnOf } from './policies.js';

/** What the checks read of a metric or composite alarm (both shapes carry these fields). */
type Alarm = Pick<
  MetricAlarm,
  'AlarmName' | 'StateValue' | 'AlarmActions' | 'ActionsEnabled' | 'AlarmDescription'
>;

/** DescribeAlarms takes at most 100 names per call (botocore monitoring: AlarmNames max 100). */
const NAMES_PER_CALL = 100;

/**
 * Every alarm of the stack is OK and notifies the alarm topic (DescribeAlarms: `StateValue`
 * OK|ALARM|INSUFFICIENT_DATA, `AlarmActions`, `ActionsEnabled`), and the topic has a confirmed
 * subscriber (ListSubscriptionsByTopic). A subscription awaiting confirmation has no ARN in place
 * of its SubscriptionArn ("pending confirmation", SNS Subscribe), so only an ARN counts as confirmed.
 */
export async function checkAlarms(
  clients: { readonly cloudWatch: CloudWatchClient; readonly sns: SNSClient },
  target: DoctorTarget,
  deployment: Deployment,
): Promise<readonly CheckLine[]> {
  const names = physicalIdsOf(deployment, 'AWS::CloudWatch::Alarm');
  const topicArn = alarmTopicArnOf(deployment);
  const stateTitle = `The stack's ${names.length} alarms are OK`;
  const lines: CheckLine[] = [
    ...(await readOrFail(stateTitle, 'cloudwatch:DescribeAlarms', async () => {
      const alarms = await describeAlarms(clients.cloudWatch, names);
      return [stateLine(stateTitle, names, alarms), actionLine(target, topicArn, alarms)];
    })),
  ];
  const subscriberTitle = 'The alarm topic has a confirmed subscriber';
  lines.push(
    ...(await readOrFail(subscriberTitle, 'sns:ListSubscriptionsByTopic', async () =>
      subscriberLine(subscriberTitle, topicArn, target, await listSubscriptions(clients.sns, topicArn)),
    )),
  );
  return lines;
}

function stateLine(title: string, names: readonly string[], alarms: readonly Alarm[]): CheckLine {
  const found = new Set(alarms.map((alarm) => alarm.AlarmName));
  const gone = names.filter((name) => !found.has(name));
  const notOk = alarms.filter((alarm) => alarm.StateValue !== 'OK');
  if (gone.length === 0 && notOk.length === 0) return pass(title);
  const problems = [
    ...notOk.map((alarm) => `${alarm.AlarmName} is ${alarm.StateValue}`),
    ...gone.map((name) => `${name} is missing`),
  ];
  const fixes = [
    ...notOk.map((alarm) =>
      alarm.StateValue === 'INSUFFICIENT_DATA'
        ? `${alarm.AlarmName}: a new alarm has no data for its first periods; run the doctor again in 15 minutes.`
        : `${alarm.AlarmName}: ${alarm.AlarmDescription ?? 'see README → Operations.'}`,
    ),
    ...(gone.length > 0 ? ['Deploy again to recreate the missing alarms.'] : []),
  ];
  return fail(title, problems.join('; '), fixes.join(' '));
}

function actionLine(target: DoctorTarget, topicArn: string, alarms: readonly Alarm[]): CheckLine {
  const title = 'Every alarm notifies the alarm topic';
  const silent = alarms.filter(
    (alarm) => alarm.ActionsEnabled === false || !alarm.AlarmActions?.includes(topicArn),
  );
  if (silent.length === 0) return pass(title, topicArn);
  return fail(
    title,
    `${silent.map((alarm) => alarm.AlarmName).join(', ')} would page no one`,
    `Deploy again (npx cdk deploy -c relayConfigFile=${target.configFile}); if actions were disabled by hand: aws cloudwatch enable-alarm-actions --alarm-names ${silent.map((alarm) => alarm.AlarmName).join(' ')}.`,
  );
}

function subscriberLine(
  title: string,
  topicArn: string,
  target: DoctorTarget,
  subscriptions: readonly Subscription[],
): CheckLine {
  const confirmed = subscriptions.filter((subscription) => subscription.SubscriptionArn?.startsWith('arn:'));
  if (confirmed.length > 0) {
    return pass(
      title,
      confirmed.map((subscription) => `${subscription.Protocol}: ${subscription.Endpoint}`).join(', '),
    );
  }
  const pending = subscriptions.filter((subscription) => !subscription.SubscriptionArn?.startsWith('arn:'));
  if (pending.length > 0) {
    return fail(
      title,
      `${pending.map((subscription) => `${subscription.Protocol}: ${subscription.Endpoint}`).join(', ')} awaits confirmation, so alarms reach no one`,
      'Open the "AWS Notification - Subscription Confirmation" e-mail and choose Confirm subscription (it expires after 3 days; deploy again or subscribe again to get a new one).',
    );
  }
  return fail(
    title,
    'no one is subscribed, so alarms reach no one',
    `Set alarmEmail in ${target.configFile} and deploy again, or: aws sns subscribe --topic-arn ${topicArn} --protocol email --notification-endpoint <on-call address>.`,
  );
}

async function describeAlarms(cloudWatch: CloudWatchClient, names: readonly string[]): Promise<Alarm[]> {
  const alarms: Alarm[] = [];
  for (let start = 0; start < names.length; start += NAMES_PER_CALL) {
    let nextToken: string | undefined;
    do {
      const page = await cloudWatch.send(
        new DescribeAlarmsCommand({
          AlarmNames: names.slice(start, start + NAMES_PER_CALL),
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      alarms.push(...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return alarms;
}

async function listSubscriptions(sns: SNSClient, topicArn: string): Promise<Subscription[]> {
  const subscriptions: Subscription[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sns.send(
      new ListSubscriptionsByTopicCommand({
        TopicArn: topicArn,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    subscriptions.push(...(page.Subscriptions ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return subscriptions;
}

import * as iam from 'aws-cdk-lib/aws-iam';
import type { BusinessNumberConfig } from '../../shared/config/business-numbers.js';
import { contactFlowArn, contactsArn, phoneNumberArn } from './arns.js';
import { acknowledgeFindings } from './nag-findings.js';
import type { RelayFunction } from './relay-function.js';

/**
 * What the inbound function needs for "call me" voice callbacks (docs/voice-callback.md), granted
 * only for the business numbers that configure them; none when no number does.
 *
 * - connect:StartOutboundVoiceContact on the instance, the configured outbound flows, the queues
 *   used as caller id, and the instance's contacts (the call is a contact created at run time).
 *   Which of these resource types the action evaluates is not spelled out in the API reference
 *   (UNCONFIRMED); the grant names each one and nothing outside this instance.
 * - connect:DescribeHoursOfOperation on the configured hours only.
 * - social-messaging:SendWhatsAppMessage from those numbers: the customer's reply.
 */
export function grantVoiceCallbacks(
  fn: RelayFunction,
  instanceArn: string,
  businessNumbers: readonly BusinessNumberConfig[],
): void {
  const enabled = businessNumbers.flatMap((number) =>
    number.callback?.enabled ? [{ number, callback: number.callback }] : [],
  );
  const answering = businessNumbers.filter((number) => number.callback);
  if (answering.length === 0) return;

  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'AnswerCallbackRequestsFromConfiguredNumbers',
      actions: ['social-messaging:SendWhatsAppMessage'],
      resources: answering.map((number) => phoneNumberArn(fn, number.phoneNumberId)),
    }),
  );
  if (enabled.length === 0) return;

  const unique = (values: readonly string[]) => [...new Set(values)];
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'CallBackInConfiguredOutboundFlowsOnly',
      actions: ['connect:StartOutboundVoiceContact'],
      resources: unique([
        instanceArn,
        ...enabled.map(({ callback }) => contactFlowArn(instanceArn, callback.outboundFlowId)),
        ...enabled.flatMap(({ callback }) =>
          callback.queueId ? [`${instanceArn}/queue/${callback.queueId}`] : [],
        ),
        contactsArn(instanceArn),
      ]),
    }),
  );
  const hours = unique(
    enabled.flatMap(({ callback }) => (callback.hoursOfOperationId ? [callback.hoursOfOperationId] : [])),
  );
  if (hours.length > 0) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadConfiguredCallbackHours',
        actions: ['connect:DescribeHoursOfOperation'],
        resources: hours.map((id) => `${instanceArn}/operating-hours/${id}`),
      }),
    );
  }
  acknowledgeFindings(fn.role ?? fn, {
    [`AwsSolutions-IAM5[Resource::${contactsArn(instanceArn)}]`]:
      'Outbound calls are contacts created at run time; the grant is limited to contacts of the configured instance.',
  });
}

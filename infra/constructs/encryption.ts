import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { arnPrefix } from './arns.js';

/** The key actions an AWS service needs to publish to an encrypted topic or queue. */
const PUBLISH_ACTIONS = ['kms:GenerateDataKey*', 'kms:Decrypt'];

/**
 * One customer-managed key for the relay's topics and queues. Each AWS service that publishes
 * with it gets the statement its own documentation gives, scoped to this account:
 * - EUM Social publishes WhatsApp events to the inbound topic;
 * - Amazon Connect publishes chat items to the streaming topic;
 * - SNS delivers both topics to the relay's queues;
 * - CloudWatch publishes this account's alarms to the alarm topic.
 *
 * The statements name topics by pattern (this account and Region), not by ARN: the topics are
 * encrypted with this key, so a key policy naming them would be a circular dependency.
 */
export class RelayEncryption extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const account = Stack.of(this).account;
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the WhatsApp relay topics and queues',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
    });
    // EUM Social user guide, "Add a message and event destination" → "Encrypted Amazon SNS topic
    // policies": exactly this statement (managing-event-destinations-add.html).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEumSocialForThisAccount',
        principals: [new iam.ServicePrincipal('social-messaging.amazonaws.com')],
        actions: PUBLISH_ACTIONS,
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `${arnPrefix(this, 'social-messaging')}:*` },
        },
      }),
    );
    // Connect admin guide, "Enable real-time chat message streaming" step 1 (chat-message-streaming.md):
    // the key is granted to connect.amazonaws.com with no condition. Nothing documents that
    // Connect's requests carry aws:SourceAccount, so none is required here (with it, every
    // streaming publish could fail and outbound would go silent). The actions are the two SNS
    // documents for AWS services publishing to an encrypted topic (SNS developer guide, "Key
    // management" → "Enable compatibility between event sources from AWS services and encrypted
    // topics"), not the guide's kms:*. Instead of a source condition, the grant is limited to SNS
    // encrypting for this account's topics: SNS passes the topic ARN as encryption context
    // `aws:sns:topicArn` (the condition AWS documents for a service principal publishing to an
    // encrypted topic in "Set up an SNS topic with server-side encryption", GameLift FlexMatch guide).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowConnectStreamingToThisAccountsTopics',
        principals: [new iam.ServicePrincipal('connect.amazonaws.com')],
        actions: PUBLISH_ACTIONS,
        resources: ['*'],
        conditions: {
          StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': `${arnPrefix(this, 'sns')}:*` },
        },
      }),
    );
    // SNS delivering to KMS-encrypted queues: kms:GenerateDataKey and kms:Decrypt for
    // sns.amazonaws.com (SNS developer guide, "Fanout to Amazon SQS queues" with SSE). CDK's
    // SqsSubscription adds this grant without any condition; the relay subscribes through
    // SealedSqsSubscription instead, and gives it the source condition CDK's own
    // `@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption` flag uses (aws:SourceArn, the topic),
    // as a pattern of this account's topics.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSnsDeliveryFromThisAccountsTopics',
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { ArnLike: { 'aws:SourceArn': `${arnPrefix(this, 'sns')}:*` } },
      }),
    );
    // CloudWatch alarms publishing to an encrypted topic need kms:Decrypt and kms:GenerateDataKey*
    // for cloudwatch.amazonaws.com (SNS developer guide, "Key management" → compatibility with AWS
    // services). Scoped to this account's alarms with aws:SourceAccount and aws:SourceArn, which
    // CloudWatch's requests carry (AWS's MDAA grantCloudWatchAlarmsTopicAccess; the alarm ARN is the
    // source re:Post shows in CloudWatch's "not authorized to perform: SNS:Publish" errors).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: PUBLISH_ACTIONS,
        resources: ['*'],
        conditions: cloudWatchAlarmConditions(this),
      }),
    );
  }
}

/** This account's CloudWatch alarms, as a confused-deputy condition for key and topic policies. */
export function cloudWatchAlarmConditions(scope: Construct): Record<string, Record<string, string>> {
  return {
    StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
    ArnLike: { 'aws:SourceArn': `${arnPrefix(scope, 'cloudwatch')}:alarm:*` },
  };
}

import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { arnPrefix } from './arns.js';

export interface MessagingProps {
  readonly key: kms.IKey;
  readonly connectInstanceArn: string;
}

/** A condition the one publishing service's requests meet: `{ operator: { key: value } }`. */
type PublisherCondition = {
  readonly operator: string;
  readonly negation: string;
  readonly key: string;
  readonly value: string;
};

/**
 * The two SNS topics: EUM Social publishes WhatsApp webhooks to the inbound topic, and Connect
 * chat streaming publishes chat items to the streaming topic. Each admits only its one service,
 * only for this account, and only over TLS; and an explicit Deny refuses everyone else, so no
 * identity in the account can inject a forged webhook or chat item with `sns:Publish`.
 */
export class Messaging extends Construct {
  readonly inboundTopic: sns.Topic;
  readonly streamingTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: MessagingProps) {
    super(scope, id);
    this.inboundTopic = new sns.Topic(this, 'WhatsAppInboundTopic', {
      displayName: 'WhatsApp events from AWS End User Messaging Social',
      masterKey: props.key,
      enforceSSL: true,
    });
    // EUM Social user guide, "Add a message and event destination" (IAM policies for Amazon SNS
    // topics): social-messaging.amazonaws.com may sns:Publish; SourceAccount and SourceArn are its
    // recommended confused-deputy conditions.
    sealTopic(this.inboundTopic, 'EumSocial', 'social-messaging.amazonaws.com', [
      {
        operator: 'StringEquals',
        negation: 'StringNotEquals',
        key: 'aws:SourceAccount',
        value: Stack.of(this).account,
      },
      {
        operator: 'ArnLike',
        negation: 'ArnNotLike',
        key: 'aws:SourceArn',
        value: `${arnPrefix(this, 'social-messaging')}:*`,
      },
    ]);

    this.streamingTopic = new sns.Topic(this, 'ConnectStreamingTopic', {
      displayName: 'Amazon Connect chat streaming',
      masterKey: props.key,
      enforceSSL: true,
    });
    // Connect admin guide, "Enable real-time chat message streaming" step 1 (chat-message-streaming.md):
    // connect.amazonaws.com may sns:Publish, with aws:SourceAccount and aws:SourceArn the instance.
    sealTopic(this.streamingTopic, 'ConnectInstance', 'connect.amazonaws.com', [
      {
        operator: 'StringEquals',
        negation: 'StringNotEquals',
        key: 'aws:SourceAccount',
        value: Stack.of(this).account,
      },
      {
        operator: 'ArnEquals',
        negation: 'ArnNotEquals',
        key: 'aws:SourceArn',
        value: props.connectInstanceArn,
      },
    ]);
  }
}

/**
 * Allows `service` to publish when every condition holds, and denies every other publish: one
 * Deny per condition, each with the negated operator, so a request failing any one of them is
 * refused. `aws:SourceAccount` and `aws:SourceArn` are set only by AWS services acting for a
 * resource (IAM global condition keys), so no role or user can meet them; and a negated operator
 * is true when the request lacks the key (IAM condition operators), so their requests are denied.
 */
function sealTopic(topic: sns.Topic, name: string, service: string, conditions: PublisherCondition[]): void {
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `Allow${name}Only`,
      principals: [new iam.ServicePrincipal(service)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: Object.fromEntries(conditions.map((c) => [c.operator, { [c.key]: c.value }])),
    }),
  );
  for (const condition of conditions) {
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `DenyPublishUnless${name}${condition.key.replace(/^aws:/, '')}`,
        effect: iam.Effect.DENY,
        principals: [new iam.StarPrincipal()],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { [condition.negation]: { [condition.key]: condition.value } },
      }),
    );
  }
}

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

/**
 * The two SNS topics: EUM Social publishes WhatsApp webhooks to the inbound topic, and Connect
 * chat streaming publishes chat items to the streaming topic. Each admits only its one service,
 * only for this account, and only over TLS.
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
    this.inboundTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEumSocialThisAccountOnly',
        principals: [new iam.ServicePrincipal('social-messaging.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.inboundTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: { 'aws:SourceArn': `${arnPrefix(this, 'social-messaging')}:*` },
        },
      }),
    );

    this.streamingTopic = new sns.Topic(this, 'ConnectStreamingTopic', {
      displayName: 'Amazon Connect chat streaming',
      masterKey: props.key,
      enforceSSL: true,
    });
    this.streamingTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowConnectInstanceOnly',
        principals: [new iam.ServicePrincipal('connect.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.streamingTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnEquals: { 'aws:SourceArn': props.connectInstanceArn },
        },
      }),
    );
  }
}

import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * One customer-managed key for the relay's topics and queues. The AWS services that publish to
 * them (EUM Social, Amazon Connect, and SNS delivering to SQS) may use it only on behalf of this
 * account.
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
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowRelayPublishersThisAccountOnly',
        principals: [
          new iam.ServicePrincipal('social-messaging.amazonaws.com'),
          new iam.ServicePrincipal('connect.amazonaws.com'),
          new iam.ServicePrincipal('sns.amazonaws.com'),
        ],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
  }
}

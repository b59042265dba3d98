import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BusinessNumberConfig } from '../../shared/config/business-numbers.js';
import { INBOUND_MEDIA_PREFIX } from '../../shared/config/media-bucket.js';
import { phoneNumberArn } from './arns.js';
import { acknowledgeFindings } from './nag-findings.js';

/** Customer media is a transient copy on its way into Connect: kept just long enough for retries. */
const MEDIA_EXPIRY = Duration.days(2);

/**
 * The bucket EUM Social copies customers' WhatsApp media into before the relay uploads it to the
 * Connect chat. Private, TLS-only, encrypted, and self-emptying: every object expires after two
 * days (SQS retries are over by then; Connect keeps its own copy of the attachment).
 *
 * SSE-S3 rather than the relay's KMS key: EUM Social writes the objects, and whether it does so
 * as the caller or as its service principal is UNCONFIRMED, so a KMS key policy could not be
 * written with evidence. SSE-S3 works either way.
 */
export class MediaBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      lifecycleRules: [
        {
          id: 'ExpireTransientMediaCopies',
          expiration: MEDIA_EXPIRY,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // Retained like the conversation table: deleting a non-empty bucket fails the stack
      // deletion, and it empties itself within two days (README → Cleanup).
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Whether EUM writes with the caller's credentials or as its own service principal is
    // UNCONFIRMED (the AWS sample grants only the caller). Allowing both keeps either working:
    // the service may write only under the inbound prefix, and only on behalf of this account.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEumSocialMediaCopiesThisAccountOnly',
        principals: [new iam.ServicePrincipal('social-messaging.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${INBOUND_MEDIA_PREFIX}*`)],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    acknowledgeFindings(this.bucket, {
      'AwsSolutions-S1':
        'Objects are transient copies that expire after 2 days and are read by one function role; ' +
        'an access-log bucket would keep more about them than the bucket itself. Use CloudTrail S3 data events for an audit trail.',
    });
  }

  /**
   * Lets the inbound function copy customer media out of WhatsApp into this bucket and read it
   * back, for the configured business numbers only (RelayFunction.bindMediaBucket sets its name).
   */
  grantInboundMediaTransfer(fn: lambda.Function, businessNumbers: readonly BusinessNumberConfig[]): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DownloadWhatsAppMediaOfConfiguredNumbers',
        actions: ['social-messaging:GetWhatsAppMessageMedia'],
        resources: businessNumbers.map((number) => phoneNumberArn(fn, number.phoneNumberId)),
      }),
    );
    const objects = this.bucket.arnForObjects(`${INBOUND_MEDIA_PREFIX}*`);
    // PutObject for the case where EUM writes with the caller's credentials (see above).
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadAndWriteInboundMediaCopies',
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [objects],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListInboundMediaPrefix',
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${INBOUND_MEDIA_PREFIX}*`] } },
      }),
    );
    if (fn.role) {
      const bucketToken = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
      acknowledgeFindings(fn.role, {
        [`AwsSolutions-IAM5[Resource::<${bucketToken}.Arn>/${INBOUND_MEDIA_PREFIX}*]`]:
          'Object keys are made per WhatsApp message at run time; access is limited to the inbound prefix of the media bucket.',
      });
    }
  }
}

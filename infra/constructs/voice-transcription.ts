import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BusinessNumberConfig } from '../../shared/config/business-numbers.js';
import { ENV } from '../../shared/config/environment-names.js';
import { TRANSCRIPT_PREFIX } from '../../shared/config/media-bucket.js';
import type { ConversationTable } from './conversation-table.js';
import type { MediaBucket } from './media-bucket.js';
import { acknowledgeFindings } from './nag-findings.js';
import { RelayFunction } from './relay-function.js';

export interface VoiceTranscriptionProps {
  readonly businessNumbers: readonly BusinessNumberConfig[];
  readonly logRetentionDays: number;
  readonly conversations: ConversationTable;
  readonly media: MediaBucket;
  /** The inbound function, which starts the jobs. */
  readonly inbound: RelayFunction;
}

/** This stack's Transcribe job-name prefix: the stack name, in the job-name alphabet. */
export function transcriptionJobPrefix(scope: Construct): string {
  return `${Stack.of(scope)
    .stackName.replace(/[^0-9a-zA-Z._-]/g, '-')
    .slice(0, 60)}-vn-`;
}

/**
 * Voice-note transcription (issue 12): the inbound function starts an Amazon Transcribe job per
 * voice note; EventBridge's "Transcribe Job State Change" for this stack's jobs (a `prefix` match
 * on the job name) invokes the transcript function, which posts the transcript into the chat.
 *
 * IAM, as tight as the services allow:
 * - inbound: transcribe:StartTranscriptionJob on this stack's job names only (the job ARN is
 *   `arn:aws:transcribe:<region>:<account>:transcription-job/<name>`; whether StartTranscriptionJob
 *   supports resource-level permissions is UNCONFIRMED here, see docs/), read of the voice note
 *   copies (already granted) and write of the transcript prefix;
 * - transcript function: transcribe:GetTranscriptionJob on the same names, read of the transcript
 *   prefix, the conversation table, and no Connect permission (participant calls use tokens).
 * The bucket is SSE-S3, so no KMS key policy is involved (OutputEncryptionKMSKeyId is not set).
 */
export class VoiceTranscription extends Construct {
  readonly function: RelayFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: VoiceTranscriptionProps) {
    super(scope, id);
    const prefix = transcriptionJobPrefix(this);
    const stack = Stack.of(this);
    const jobs = stack.formatArn({
      service: 'transcribe',
      resource: 'transcription-job',
      resourceName: `${prefix}*`,
    });
    const bucket: s3.IBucket = props.media.bucket;
    const enabled = props.businessNumbers.some((number) => number.transcription?.enabled);

    props.inbound.configure({ [ENV.transcriptionJobPrefix]: prefix });
    if (enabled) {
      props.inbound.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'StartThisStacksTranscriptionJobs',
          actions: ['transcribe:StartTranscriptionJob'],
          resources: [jobs],
        }),
      );
      // Transcribe reads the note and writes the transcript with the caller's permissions.
      props.inbound.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'WriteTranscriptsUnderTheirPrefix',
          actions: ['s3:PutObject'],
          resources: [bucket.arnForObjects(`${TRANSCRIPT_PREFIX}*`)],
        }),
      );
    }

    this.function = new RelayFunction(this, 'Function', {
      functionName: 'transcript',
      serviceName: 'whatsapp-transcript',
      logRetentionDays: props.logRetentionDays,
      timeout: Duration.seconds(30),
      memorySize: 256,
    });
    this.function.bindConversationTable(props.conversations).configure({
      [ENV.transcriptionJobPrefix]: prefix,
      [ENV.mediaBucket]: bucket.bucketName,
    });
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadThisStacksTranscriptionJobs',
        actions: ['transcribe:GetTranscriptionJob'],
        resources: [jobs],
      }),
    );
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadTranscripts',
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${TRANSCRIPT_PREFIX}*`)],
      }),
    );

    this.rule = new events.Rule(this, 'JobFinished', {
      description: "This stack's voice-note transcription jobs reaching COMPLETED or FAILED",
      eventPattern: {
        source: ['aws.transcribe'],
        detailType: ['Transcribe Job State Change'],
        detail: {
          TranscriptionJobName: events.Match.prefix(prefix),
          TranscriptionJobStatus: ['COMPLETED', 'FAILED'],
        },
      },
    });
    // Failed invocations are retried by EventBridge (posting is idempotent), for up to 2 hours.
    this.rule.addTarget(
      new targets.LambdaFunction(this.function, { retryAttempts: 8, maxEventAge: Duration.hours(2) }),
    );

    const bucketToken = stack.getLogicalId(props.media.bucket.node.defaultChild as s3.CfnBucket);
    const findings = {
      [`AwsSolutions-IAM5[Resource::<${bucketToken}.Arn>/${TRANSCRIPT_PREFIX}*]`]:
        'Transcript keys are made per voice note at run time; access is limited to the transcript prefix.',
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:transcribe:${nagText(stack.region, 'AWS::Region')}:${nagText(stack.account, 'AWS::AccountId')}:transcription-job/${prefix}*]`]:
        "Job names are made per voice note at run time; access is limited to this stack's job-name prefix.",
    };
    acknowledgeFindings(this.function.role ?? this, findings);
    if (enabled) acknowledgeFindings(props.inbound.role ?? props.inbound, findings);
  }
}

/** How cdk-nag names a value in a finding: the value, or `<AWS::…>` for the pseudo parameter it stands for. */
function nagText(value: string, pseudo: string): string {
  return Token.isUnresolved(value) ? `<${pseudo}>` : value;
}

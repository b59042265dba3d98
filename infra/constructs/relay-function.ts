import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { BusinessNumberConfig } from '../../shared/config/business-numbers.js';
import { ENV, type EnvName } from '../../shared/config/environment-names.js';
import { METRICS_NAMESPACE } from '../../shared/config/metrics-namespace.js';
import { LAZY_CHUNKS, lazyChunkArguments, RELAY_BUNDLING } from '../bundling.js';
import { instanceParts } from '../config/instance-arn.js';
import { contactsArn } from './arns.js';
import type { ConversationAccess, ConversationTable } from './conversation-table.js';
import type { MediaBucket } from './media-bucket.js';
import { acknowledgeFindings } from './nag-findings.js';
import { QueueSeal } from './queue-policies.js';
import type { RelayQueue } from './relay-queue.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface RelayFunctionProps {
  /** Folder name under functions/; the bundle entry is functions/<name>/index.ts. */
  readonly functionName: string;
  readonly serviceName: string;
  readonly logRetentionDays: number;
  readonly timeout?: Duration;
  readonly memorySize?: number;
}

/**
 * Every Lambda in the relay, with its defaults in one place:
 * - Node 22 on ARM64: the required runtime, and Graviton is cheaper per GB-s for the same work.
 * - ESM, minified, SDK bundled: tree-shaken clients start faster than the runtime's SDK and
 *   pin the versions we test against. The one exclusion is a module the code never loads.
 * - An explicit log group with retention, and a role that may write only to it (no managed policy).
 * - Source maps on, so on-call stack traces point at TypeScript lines.
 * - No environment variable is set by name here or in the constructs: the bind* helpers grant a
 *   resource and set the variable its config loader reads (shared/config/environment-names.ts) in
 *   one call, and `configure` sets plain settings under those same names.
 */
export class RelayFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: RelayFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetentionDays as logs.RetentionDays,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role for the ${props.serviceName} relay function`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:log-stream:*`],
      }),
    );
    const lazyChunks = LAZY_CHUNKS[props.functionName] ?? [];
    super(scope, id, {
      entry: `${projectRoot}functions/${props.functionName}/index.ts`,
      projectRoot,
      depsLockFilePath: `${projectRoot}package-lock.json`,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      logGroup,
      role,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: RELAY_BUNDLING.target,
        minify: RELAY_BUNDLING.minify,
        sourceMap: RELAY_BUNDLING.sourcemap,
        sourcesContent: RELAY_BUNDLING.sourcesContent,
        mainFields: [...RELAY_BUNDLING.mainFields],
        externalModules: [...RELAY_BUNDLING.external, ...lazyChunks.map((chunk) => `./${chunk}.mjs`)],
        banner: RELAY_BUNDLING.banner,
        loader: { ...RELAY_BUNDLING.loader },
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // Lazy chunks are bundled on their own, next to index.mjs, with the same options.
          afterBundling: (inputDir, outputDir) =>
            lazyChunks.map((chunk) =>
              [
                `${inputDir}/node_modules/.bin/esbuild`,
                ...lazyChunkArguments(
                  `${inputDir}/functions/${props.functionName}/${chunk}.mts`,
                  `${outputDir}/${chunk}.mjs`,
                ),
              ]
                .map((argument) => `'${argument.replaceAll("'", "'\\''")}'`)
                .join(' '),
            ),
        },
      },
    });
    const logGroupToken = Stack.of(this).getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup);
    acknowledgeFindings(role, {
      'AwsSolutions-IAM5[Resource::*]':
        'X-Ray PutTraceSegments and PutTelemetryRecords support only Resource "*".',
      [`AwsSolutions-IAM5[Resource::<${logGroupToken}.Arn>:log-stream:*]`]:
        "Lambda names log streams at run time; the statement is limited to this function's own log group.",
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the runtime this product is built and tested on; upgrades are deliberate.',
    });
  }

  /** Sets plain settings (no access to grant) under the names the config loaders read. */
  configure(settings: Partial<Record<EnvName, string | undefined>>): this {
    for (const [name, value] of Object.entries(settings)) {
      if (value !== undefined) this.addEnvironment(name, value);
    }
    return this;
  }

  /** Item-level access to the conversation table (see ConversationTable.grant), and its name. */
  bindConversationTable(conversations: ConversationTable, access: ConversationAccess = 'relay'): this {
    conversations.grant(this, access);
    return this.addEnvironment(ENV.conversationTable, conversations.table.tableName);
  }

  /** GetItem on the customers table (the guide looks customers up by number), and its name. */
  bindCustomersTable(table: dynamodb.ITable): this {
    table.grant(this, 'dynamodb:GetItem');
    return this.addEnvironment(ENV.customersTable, table.tableName);
  }

  /** Sending to a relay queue's DLQ (records it can never process, with their reason), and its URL. */
  bindDeadLetterQueue(queue: RelayQueue): this {
    queue.grantDeadLettering(this);
    return this.addEnvironment(ENV.deadLetterQueue, queue.deadLetterQueue.queueUrl);
  }

  /**
   * An ordering stage's two destinations: its FIFO queue, and its standard queue's DLQ. Only
   * sqs:SendMessage (which also authorises SendMessageBatch), admitted through both queues' seals,
   * and the key for those sends (kms:GenerateDataKey and kms:Decrypt, what a producer to an SSE-KMS
   * queue needs: SQS developer guide, "Key management").
   */
  bindOrderingQueues(ordered: RelayQueue, source: RelayQueue, key: kms.IKey): this {
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendToItsFifoQueueAndDeadLetterQueueOnly',
        actions: ['sqs:SendMessage'],
        resources: [ordered.queue.queueArn, source.deadLetterQueue.queueArn],
      }),
    );
    if (this.role) {
      QueueSeal.of(ordered.queue).admitRole(this.role);
      QueueSeal.of(source.deadLetterQueue).admitRole(this.role);
    }
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'EncryptForThoseQueues',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
      }),
    );
    this.addEnvironment(ENV.orderedQueue, ordered.queue.queueUrl);
    return this.addEnvironment(ENV.deadLetterQueue, source.deadLetterQueue.queueUrl);
  }

  /**
   * DescribeContact on contacts of one Connect instance (who accepted a contact: AgentInfo.Id),
   * and the instance id. Contacts are created at run time, so the resource is the instance's contacts.
   */
  bindContactDescriptions(instanceArn: string): this {
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DescribeContactsOfTheInstance',
        actions: ['connect:DescribeContact'],
        resources: [contactsArn(instanceArn)],
      }),
    );
    acknowledgeFindings(this.role ?? this, {
      [`AwsSolutions-IAM5[Resource::${contactsArn(instanceArn)}]`]:
        'Contacts are created at run time; DescribeContact is limited to contacts of the configured instance.',
    });
    return this.addEnvironment(ENV.connectInstanceId, instanceParts(instanceArn).instanceId);
  }

  /** Copying customer media of these numbers into the media bucket (see MediaBucket), and its name. */
  bindMediaBucket(media: MediaBucket, businessNumbers: readonly BusinessNumberConfig[]): this {
    media.grantInboundMediaTransfer(this, businessNumbers);
    return this.addEnvironment(ENV.mediaBucket, media.bucket.bucketName);
  }

  /**
   * The topic Connect streams chats to. No grant: the function only names it in
   * StartContactStreaming, and Connect publishes (the topic and key policies admit Connect).
   */
  bindStreamingTopic(topic: sns.ITopic): this {
    return this.addEnvironment(ENV.streamingTopic, topic.topicArn);
  }
}

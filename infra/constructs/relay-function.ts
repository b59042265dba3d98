import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/config/metrics-namespace.js';
import { LAZY_CHUNKS, lazyChunkArguments, RELAY_BUNDLING } from '../bundling.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface RelayFunctionProps {
  /** Folder name under functions/; the bundle entry is functions/<name>/index.ts. */
  readonly functionName: string;
  readonly serviceName: string;
  readonly logRetentionDays: number;
  readonly environment?: Record<string, string>;
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
        ...props.environment,
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
}

/** Acknowledges specific cdk-nag findings (not whole rules), each with its evidence. */
export function acknowledgeFindings(scope: Construct, findings: Record<string, string>): void {
  for (const [id, reason] of Object.entries(findings)) Validations.of(scope).acknowledge({ id, reason });
}

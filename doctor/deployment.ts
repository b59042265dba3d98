import {
  type CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { type CheckGroup, type CheckLine, fail, pass } from './checklist.js';
import { describeError } from './clients.js';
import type { DoctorTarget } from './target.js';

/** One resource of the deployed stack, as CloudFormation lists it. */
export interface StackResource {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
}

/** What the doctor knows about the deployed stack: its outputs and its resources. */
export interface Deployment {
  readonly outputs: Readonly<Record<string, string>>;
  readonly resources: readonly StackResource[];
}

/** The outputs every later check reads (infra/relay-stack.ts; test/infra/doctor-contract.test.ts pins them). */
export const REQUIRED_OUTPUTS = {
  inboundTopicArn: 'WhatsAppInboundTopicArn',
  streamingTopicArn: 'ConnectStreamingTopicArn',
  inboundDeadLetterQueueUrl: 'InboundDeadLetterQueueUrl',
  outboundDeadLetterQueueUrl: 'OutboundDeadLetterQueueUrl',
  inboundOrderedDeadLetterQueueUrl: 'InboundOrderedDeadLetterQueueUrl',
  outboundOrderedDeadLetterQueueUrl: 'OutboundOrderedDeadLetterQueueUrl',
} as const;

/** A stack that finished its last operation; anything else means a deploy failed or is still running. */
const SETTLED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE']);

/**
 * Reads the stack by the name `cdk deploy` gives it (DescribeStacks: `StackStatus`, `Outputs`;
 * ListStackResources: logical id, physical id and type of each resource, paged by NextToken).
 * Without a readable stack no other check that needs its resources can run.
 */
export async function readDeployment(
  cloudFormation: CloudFormationClient,
  target: DoctorTarget,
): Promise<{ group: CheckGroup; deployment?: Deployment }> {
  const heading = `Stack ${target.stackName} (account ${target.account}, ${target.region})`;
  const title = 'The stack is deployed';
  let stack: Awaited<ReturnType<typeof describe>>;
  try {
    stack = await describe(cloudFormation, target.stackName);
  } catch (error) {
    const missing = /does not exist/.test(describeError(error));
    const line = missing
      ? fail(
          title,
          `no stack named ${target.stackName} in account ${target.account}, ${target.region}, so the checks that need it were skipped`,
          `Deploy it: npx cdk deploy -c relayConfigFile=${target.configFile}. If you did, check that your credentials are for account ${target.account}.`,
        )
      : fail(
          title,
          `DescribeStacks failed (${describeError(error)}), so the checks that need the stack were skipped`,
          'Allow cloudformation:DescribeStacks and cloudformation:ListStackResources for your credentials, then run the doctor again.',
        );
    return { group: { heading, lines: [line] } };
  }
  const lines: CheckLine[] = [];
  const status = stack?.StackStatus ?? 'UNKNOWN';
  lines.push(
    SETTLED.has(status)
      ? pass(title, status)
      : fail(
          title,
          `its status is ${status}${stack?.StackStatusReason ? ` (${stack.StackStatusReason})` : ''}`,
          `Read the failed events (aws cloudformation describe-stack-events --stack-name ${target.stackName}), fix the cause, and deploy again.`,
        ),
  );
  const outputs = Object.fromEntries(
    (stack?.Outputs ?? []).flatMap((output) =>
      output.OutputKey && output.OutputValue ? [[output.OutputKey, output.OutputValue]] : [],
    ),
  );
  const missing = Object.values(REQUIRED_OUTPUTS).filter((key) => !outputs[key]);
  lines.push(
    missing.length === 0
      ? pass('Its outputs are readable', `${Object.keys(outputs).length} outputs`)
      : fail(
          'Its outputs are readable',
          `missing ${missing.join(', ')}`,
          `Deploy this version of the relay (npx cdk deploy -c relayConfigFile=${target.configFile}); an older stack lacks these outputs.`,
        ),
  );
  const group = { heading, lines };
  let resources: StackResource[];
  try {
    resources = await listResources(cloudFormation, target.stackName);
  } catch (error) {
    lines.push(
      fail(
        'Its resources are readable',
        `ListStackResources failed (${describeError(error)})`,
        'Allow cloudformation:ListStackResources for your credentials, then run the doctor again.',
      ),
    );
    return { group };
  }
  return missing.length === 0 ? { group, deployment: { outputs, resources } } : { group };
}

async function describe(cloudFormation: CloudFormationClient, stackName: string) {
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  return Stacks?.[0];
}

async function listResources(
  cloudFormation: CloudFormationClient,
  stackName: string,
): Promise<StackResource[]> {
  const summaries: StackResourceSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cloudFormation.send(
      new ListStackResourcesCommand({ StackName: stackName, ...(nextToken ? { NextToken: nextToken } : {}) }),
    );
    summaries.push(...(page.StackResourceSummaries ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return summaries.flatMap((summary) =>
    summary.PhysicalResourceId
      ? [
          {
            logicalId: summary.LogicalResourceId ?? '',
            physicalId: summary.PhysicalResourceId,
            type: summary.ResourceType ?? '',
          },
        ]
      : [],
  );
}

/** The physical ids of the stack's resources of one type (optionally whose logical id matches). */
export function physicalIdsOf(deployment: Deployment, type: string, logicalId?: RegExp): string[] {
  return deployment.resources
    .filter((resource) => resource.type === type && (!logicalId || logicalId.test(resource.logicalId)))
    .map((resource) => resource.physicalId);
}

/** The value of a required output (present once readDeployment returned a deployment). */
export function outputOf(deployment: Deployment, name: keyof typeof REQUIRED_OUTPUTS): string {
  return deployment.outputs[REQUIRED_OUTPUTS[name]] ?? '';
}

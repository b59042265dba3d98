import {
  type ConnectClient,
  DescribeInstanceCommand,
  ListInstanceStorageConfigsCommand,
  ListLambdaFunctionsCommand,
} from '@aws-sdk/client-connect';
import { errorName } from '../../shared/domain/errors.js';
import { type CheckLine, fail, pass } from '../checklist.js';
import { readOrFail } from '../clients.js';
import { type Deployment, physicalIdsOf } from '../deployment.js';
import type { DoctorTarget } from '../target.js';

/** The instance is active (DescribeInstance: `Instance.InstanceStatus`, ACTIVE when usable). */
export async function checkInstance(
  client: ConnectClient,
  target: DoctorTarget,
): Promise<readonly CheckLine[]> {
  const title = 'The Connect instance exists';
  return readOrFail(title, 'connect:DescribeInstance', async () => {
    let instance: Awaited<ReturnType<typeof describeInstance>>;
    try {
      instance = await describeInstance(client, target.instanceId);
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
      return fail(
        title,
        `no instance ${target.instanceId} in ${target.region}`,
        `Correct connectInstanceArn in ${target.configFile}; it must be an instance of account ${target.account} in ${target.region}.`,
      );
    }
    return instance?.InstanceStatus === 'ACTIVE'
      ? pass(title, instance.InstanceAlias ?? target.instanceId)
      : fail(
          title,
          `its status is ${instance?.InstanceStatus ?? 'unknown'}${instance?.StatusReason?.Message ? ` (${instance.StatusReason.Message})` : ''}`,
          'Wait until the instance is ACTIVE, or recreate it in the Connect console if its creation failed.',
        );
  });
}

/**
 * Chat attachments are enabled: the instance has a storage configuration for ATTACHMENTS
 * (ListInstanceStorageConfigs, ResourceType ATTACHMENTS → `StorageConfigs[]`, an S3Config each).
 */
export async function checkAttachments(
  client: ConnectClient,
  target: DoctorTarget,
): Promise<readonly CheckLine[]> {
  const title = 'Attachments are enabled on the instance';
  return readOrFail(title, 'connect:ListInstanceStorageConfigs', async () => {
    const { StorageConfigs } = await client.send(
      new ListInstanceStorageConfigsCommand({ InstanceId: target.instanceId, ResourceType: 'ATTACHMENTS' }),
    );
    const s3 = StorageConfigs?.[0]?.S3Config;
    if (StorageConfigs && StorageConfigs.length > 0) {
      return pass(
        title,
        s3 ? `s3://${s3.BucketName}/${s3.BucketPrefix ?? ''}` : (StorageConfigs[0]?.StorageType ?? ''),
      );
    }
    return fail(
      title,
      'the instance has no attachment storage, so customer files cannot reach agents',
      'Connect console → your instance → Data storage → Attachments → Edit: enable attachment sharing with an S3 bucket (README → Deploy, step 4).',
    );
  });
}

/** The stack's functions the guide flow invokes (agent-initiated-templates.ts: integrated with the instance). */
export const INTEGRATED_FUNCTIONS = /CustomerDataFunction|SendTemplateFunction/;

/**
 * The guide's Lambda functions are still integrated with the instance, so its flow may invoke
 * them. The stack integrates them with AWS::Connect::IntegrationAssociation (type LAMBDA_FUNCTION);
 * ListIntegrationAssociations has no LAMBDA_FUNCTION type (botocore connect IntegrationType), so
 * they are read with ListLambdaFunctions (`LambdaFunctions[]`, the ARNs the flow blocks offer).
 */
export async function checkIntegrations(
  client: ConnectClient,
  target: DoctorTarget,
  deployment: Deployment,
): Promise<readonly CheckLine[]> {
  const title = "The guide's Lambda functions are integrated with the instance";
  return readOrFail(title, 'connect:ListLambdaFunctions', async () => {
    const { partition, region, account } = target;
    // A function's physical id is its name.
    const expected = physicalIdsOf(deployment, 'AWS::Lambda::Function', INTEGRATED_FUNCTIONS).map(
      (name) => `arn:${partition}:lambda:${region}:${account}:function:${name}`,
    );
    const integrated = new Set((await listLambdaFunctions(client, target.instanceId)).map(unqualified));
    const missing = expected.filter((arn) => !integrated.has(arn));
    if (missing.length === 0)
      return pass(title, expected.map((arn) => arn.replace(/^.*:function:/, '')).join(', '));
    return fail(
      title,
      `${missing.map((arn) => arn.replace(/^.*:function:/, '')).join(', ')} not integrated, so the guide flow cannot call it`,
      `Deploy again (npx cdk deploy -c relayConfigFile=${target.configFile}); if CloudFormation thinks the association exists, run aws connect associate-lambda-function --instance-id ${target.instanceId} --function-arn <ARN>.`,
    );
  });
}

/** A function ARN without a version or alias qualifier. */
function unqualified(arn: string): string {
  return arn.split(':').slice(0, 7).join(':');
}

async function describeInstance(client: ConnectClient, instanceId: string) {
  return (await client.send(new DescribeInstanceCommand({ InstanceId: instanceId }))).Instance;
}

async function listLambdaFunctions(client: ConnectClient, instanceId: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListLambdaFunctionsCommand({
        InstanceId: instanceId,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    arns.push(...(page.LambdaFunctions ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return arns;
}

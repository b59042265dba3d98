import { GetKeyPolicyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { GetTopicAttributesCommand, type SNSClient } from '@aws-sdk/client-sns';
import { type CheckLine, fail, pass } from '../checklist.js';
import { readOrFail } from '../clients.js';
import { type Deployment, outputOf, physicalIdsOf } from '../deployment.js';
import { type PolicyDocumentJson, UnsupportedPolicyError } from '../policy/iam-policy-evaluator.js';
import {
  type PolicyHolder,
  type RelayPolicyArns,
  relayAccessRequirements,
  unmetRequirements,
} from '../policy/service-access.js';
import { type DoctorTarget, wabaArnOf } from '../target.js';

const HOLDERS: Readonly<Record<PolicyHolder, string>> = {
  inboundTopic: 'The inbound topic policy lets EUM Social publish, and no one else',
  streamingTopic: 'The streaming topic policy lets Connect publish, and no one else',
  alarmTopic: 'The alarm topic policy lets every alarm of the stack publish',
  key: 'The key policy lets EUM Social, Connect, SNS and CloudWatch use the relay key',
};

/** The deployed ARNs the requirements name, from the stack's outputs and resources. */
export function deployedPolicyArns(target: DoctorTarget, deployment: Deployment): RelayPolicyArns {
  const { partition, region, account } = target;
  const keyId = physicalIdsOf(deployment, 'AWS::KMS::Key')[0] ?? '';
  return {
    account,
    instanceArn: target.config.connectInstanceArn,
    wabaArn: wabaArnOf(target),
    inboundTopicArn: outputOf(deployment, 'inboundTopicArn'),
    streamingTopicArn: outputOf(deployment, 'streamingTopicArn'),
    alarmTopicArn: alarmTopicArnOf(deployment),
    keyArn: keyId.startsWith('arn:') ? keyId : `arn:${partition}:kms:${region}:${account}:key/${keyId}`,
    // An alarm's physical id is its name.
    alarmArns: physicalIdsOf(deployment, 'AWS::CloudWatch::Alarm').map(
      (name) => `arn:${partition}:cloudwatch:${region}:${account}:alarm:${name}`,
    ),
    intruderRoleArn: `arn:${partition}:iam::${account}:role/AnyRoleOfTheAccount`,
  };
}

/** The alarm topic: the one topic of the stack made by RelayObservability. */
export function alarmTopicArnOf(deployment: Deployment): string {
  return physicalIdsOf(deployment, 'AWS::SNS::Topic', /AlarmTopic/)[0] ?? '';
}

/**
 * Reads the deployed topic policies (GetTopicAttributes → `Attributes.Policy`, a JSON string) and
 * the key policy (GetKeyPolicy, PolicyName `default`, the only one), and decides every requirement
 * of doctor/policy/service-access.ts on them: one line per policy.
 */
export async function checkPolicies(
  clients: { readonly sns: SNSClient; readonly kms: KMSClient },
  target: DoctorTarget,
  deployment: Deployment,
): Promise<readonly CheckLine[]> {
  const arns = deployedPolicyArns(target, deployment);
  const requirements = relayAccessRequirements(arns);
  const reads: Record<PolicyHolder, { action: string; read: () => Promise<string | undefined> }> = {
    inboundTopic: {
      action: 'sns:GetTopicAttributes',
      read: () => topicPolicy(clients.sns, arns.inboundTopicArn),
    },
    streamingTopic: {
      action: 'sns:GetTopicAttributes',
      read: () => topicPolicy(clients.sns, arns.streamingTopicArn),
    },
    alarmTopic: {
      action: 'sns:GetTopicAttributes',
      read: () => topicPolicy(clients.sns, arns.alarmTopicArn),
    },
    key: { action: 'kms:GetKeyPolicy', read: () => keyPolicy(clients.kms, arns.keyArn) },
  };
  const lines: CheckLine[] = [];
  for (const holder of Object.keys(HOLDERS) as PolicyHolder[]) {
    const mine = requirements.filter((requirement) => requirement.holder === holder);
    const title = HOLDERS[holder];
    lines.push(
      ...(await readOrFail(title, reads[holder].action, async () => {
        const text = await reads[holder].read();
        if (!text) return fail(title, 'it has no policy', redeploy(target));
        try {
          const document = JSON.parse(text) as PolicyDocumentJson;
          const unmet = unmetRequirements(mine, () => [document]);
          if (unmet.length === 0) return pass(title);
          const problems = unmet.map(({ requirement, decision }) =>
            requirement.expected === 'allowed'
              ? `${requirement.what}: ${requirement.request.action} is ${decision}`
              : `${requirement.what}: ${requirement.request.action} is allowed`,
          );
          return fail(title, [...new Set(problems)].join('; '), redeploy(target));
        } catch (error) {
          if (!(error instanceof UnsupportedPolicyError)) throw error;
          return fail(
            title,
            `it uses something the doctor cannot evaluate (${error.message})`,
            `Compare it with the synthesized template (npm run synth) and ${redeploy(target)}`,
          );
        }
      })),
    );
  }
  return lines;
}

function redeploy(target: DoctorTarget): string {
  return `Deploy again (npx cdk deploy -c relayConfigFile=${target.configFile}) to restore it; it was changed outside CloudFormation (aws cloudformation detect-stack-drift --stack-name ${target.stackName} shows how).`;
}

async function topicPolicy(sns: SNSClient, topicArn: string) {
  return (await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes?.Policy;
}

async function keyPolicy(kms: KMSClient, keyId: string) {
  return (await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy;
}

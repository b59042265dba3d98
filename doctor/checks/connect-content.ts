import {
  type ConnectClient,
  DescribeContactFlowCommand,
  type DescribeContactFlowCommandOutput,
  DescribeViewCommand,
} from '@aws-sdk/client-connect';
import { errorName } from '../../shared/domain/errors.js';
import { type CheckLine, fail, pass } from '../checklist.js';
import { readOrFail } from '../clients.js';
import { type Deployment, physicalIdsOf } from '../deployment.js';
import type { DoctorTarget } from '../target.js';

/** A flow to check, and what to do when it is missing (a configured flow is the builder's, a stack flow the deploy's). */
interface FlowToCheck {
  readonly flowId: string;
  readonly label: string;
  readonly whenMissing: string;
}

/**
 * Each configured inbound flow and each flow the stack made exists, is active and is published
 * (DescribeContactFlow: `State` ACTIVE|ARCHIVED, `Status` PUBLISHED|SAVED; a flow never published
 * answers ContactFlowNotPublishedException). A chat started in a missing or unpublished flow fails.
 */
export async function checkFlows(
  client: ConnectClient,
  target: DoctorTarget,
  deployment: Deployment | undefined,
): Promise<readonly CheckLine[]> {
  const deploy = `Deploy again (npx cdk deploy -c relayConfigFile=${target.configFile}) to restore it.`;
  const flows: FlowToCheck[] = [
    ...target.config.businessNumbers.flatMap((number) =>
      number.inboundFlowId
        ? [
            {
              flowId: number.inboundFlowId,
              label: `inbound flow {id} of ${number.phoneNumberId}`,
              whenMissing: `Correct businessNumbers[].inboundFlowId for ${number.phoneNumberId} in ${target.configFile} (or leave it out to use the deployed flow), then deploy again.`,
            },
          ]
        : [],
    ),
    ...(deployment ? physicalIdsOf(deployment, 'AWS::Connect::ContactFlow') : []).map((arn) => ({
      flowId: arn.replace(/^.*\/contact-flow\//, ''),
      label: "stack's flow {id}",
      whenMissing: deploy,
    })),
  ];
  const lines: CheckLine[] = [];
  for (const flow of flows) {
    const title = `The ${flow.label.replace('{id}', flow.flowId)} is published`;
    lines.push(
      ...(await readOrFail(title, 'connect:DescribeContactFlow', () =>
        describeFlow(client, target, flow, title),
      )),
    );
  }
  return lines;
}

async function describeFlow(
  client: ConnectClient,
  target: DoctorTarget,
  flow: FlowToCheck,
  title: string,
): Promise<CheckLine> {
  let described: DescribeContactFlowCommandOutput;
  try {
    described = await client.send(
      new DescribeContactFlowCommand({ InstanceId: target.instanceId, ContactFlowId: flow.flowId }),
    );
  } catch (error) {
    const name = errorName(error);
    if (name === 'ResourceNotFoundException')
      return fail(title, 'it does not exist on the instance', flow.whenMissing);
    if (name === 'ContactFlowNotPublishedException') {
      return fail(
        title,
        'it was saved but never published',
        'Open it in the Connect flow designer and choose Publish.',
      );
    }
    throw error;
  }
  const { Name, State, Status } = described.ContactFlow ?? {};
  if (State === 'ARCHIVED') {
    return fail(
      title,
      `${Name ?? flow.flowId} is archived`,
      'Restore it in the Connect console (Flows → Archived), then publish it.',
    );
  }
  if (Status !== undefined && Status !== 'PUBLISHED') {
    return fail(
      title,
      `${Name ?? flow.flowId} is ${Status}, not published`,
      'Open it in the Connect flow designer and choose Publish.',
    );
  }
  return pass(title, Name);
}

/**
 * The views the guide shows exist and are published (DescribeView: `View.Status` PUBLISHED|SAVED;
 * ViewId takes an id or an ARN, with a version qualifier). The stack's view versions are what the
 * guide flow shows; the configured Guide view is made and published in the console.
 */
export async function checkViews(
  client: ConnectClient,
  target: DoctorTarget,
  deployment: Deployment,
): Promise<readonly CheckLine[]> {
  const views = [
    ...physicalIdsOf(deployment, 'AWS::Connect::ViewVersion').map((viewId) => ({
      viewId,
      title: `The guide view version ${viewId.replace(/^.*\/view\//, '')} is published`,
      fix: `Deploy again (npx cdk deploy -c relayConfigFile=${target.configFile}) to publish a new version.`,
    })),
    ...(target.config.guideViewArn
      ? [
          {
            viewId: target.config.guideViewArn,
            title: 'The Guide view (guideViewArn) is published',
            fix: 'Open it in Connect console → Views and choose Publish (README → Agent-initiated templates).',
          },
        ]
      : []),
  ];
  const lines: CheckLine[] = [];
  for (const view of views) {
    lines.push(
      ...(await readOrFail(view.title, 'connect:DescribeView', async () => {
        try {
          const { View } = await client.send(
            new DescribeViewCommand({ InstanceId: target.instanceId, ViewId: view.viewId }),
          );
          return View?.Status === 'PUBLISHED'
            ? pass(view.title, View.Name)
            : fail(
                view.title,
                `${View?.Name ?? view.viewId} is ${View?.Status ?? 'in no known state'}`,
                view.fix,
              );
        } catch (error) {
          if (errorName(error) !== 'ResourceNotFoundException') throw error;
          return fail(view.title, 'it does not exist on the instance', view.fix);
        }
      })),
    );
  }
  return lines;
}

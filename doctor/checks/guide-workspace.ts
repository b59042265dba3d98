import {
  type ConnectClient,
  DescribeWorkspaceCommand,
  ListWorkspacePagesCommand,
  type WorkspacePage,
} from '@aws-sdk/client-connect';
import { GUIDE_PAGE } from '../../infra/constructs/guide-names.js';
import { errorName } from '../../shared/domain/errors.js';
import { type CheckLine, fail, pass } from '../checklist.js';
import { readOrFail } from '../clients.js';
import { type Deployment, physicalIdsOf } from '../deployment.js';
import type { DoctorTarget } from '../target.js';

/**
 * The template guide's workspace exists and has its page showing the Guide view
 * (DescribeWorkspace; ListWorkspacePages: `WorkspacePageList[]` of `{ResourceArn, Page, Slug}`).
 * The page is added by the deploy once `guideViewArn` is configured (infra/constructs/guide-workspace.ts).
 */
export async function checkGuideWorkspace(
  client: ConnectClient,
  target: DoctorTarget,
  deployment: Deployment,
): Promise<readonly CheckLine[]> {
  const title = 'The WhatsApp templates workspace exists';
  const deploy = `npx cdk deploy -c relayConfigFile=${target.configFile}`;
  const workspaceArn = physicalIdsOf(deployment, 'AWS::Connect::Workspace')[0];
  if (!workspaceArn) {
    return [fail(title, 'the stack has no workspace', `Deploy this version of the relay (${deploy}).`)];
  }
  // The workspace's ARN ends in /workspace/<id>; DescribeWorkspace takes the id.
  const workspaceId = workspaceArn.replace(/^.*\/workspace\//, '');
  return readOrFail(title, 'connect:DescribeWorkspace', async () => {
    let name: string | undefined;
    try {
      const { Workspace } = await client.send(
        new DescribeWorkspaceCommand({ InstanceId: target.instanceId, WorkspaceId: workspaceId }),
      );
      name = Workspace?.Name;
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
      return fail(title, `workspace ${workspaceId} is gone`, `Deploy again (${deploy}) to recreate it.`);
    }
    const pages = await listPages(client, target.instanceId, workspaceId);
    return [pass(title, name), pageLine(target, pages, deploy)];
  });
}

function pageLine(target: DoctorTarget, pages: readonly WorkspacePage[], deploy: string): CheckLine {
  const title = `The workspace has its ${GUIDE_PAGE.page} page`;
  const viewArn = target.config.guideViewArn;
  if (!viewArn) {
    return fail(
      title,
      'guideViewArn is not configured, so agents have no page to start the template guide from',
      `Create the Guide view in the Connect console (stack output GuideViewStep says how), publish it, set guideViewArn in ${target.configFile}, and deploy again (${deploy}).`,
    );
  }
  const page = pages.find((candidate) => candidate.Page === GUIDE_PAGE.page);
  if (page?.ResourceArn === viewArn) return pass(title, `/${page.Slug ?? GUIDE_PAGE.slug}`);
  return fail(
    title,
    page ? `it shows ${page.ResourceArn}, not the configured Guide view` : 'the page is missing',
    `Deploy again (${deploy}): the stack puts the page on the workspace with guideViewArn.`,
  );
}

async function listPages(client: ConnectClient, instanceId: string, workspaceId: string) {
  const pages: WorkspacePage[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListWorkspacePagesCommand({
        InstanceId: instanceId,
        WorkspaceId: workspaceId,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    pages.push(...(page.WorkspacePageList ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return pages;
}

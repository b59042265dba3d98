import { CfnOutput } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';
import { GUIDE_PAGE } from './guide-names.js';

export interface GuideWorkspaceProps {
  readonly instanceArn: string;
  /** User and routing-profile ARNs that get the workspace (AssociateWorkspace). */
  readonly associations: readonly string[];
  /** The Guide view made in the console; the page is added once it exists. */
  readonly guideViewArn?: string;
  /** The guide flow's id, for the console step that makes the Guide view. */
  readonly guideFlowId: string;
}

/**
 * The agent workspace that holds the template guide: the workspace, its associations and, once
 * the Guide view exists, its page (AWS::Connect::Workspace: Pages with ResourceArn, Page, Slug;
 * Associations). The Guide view itself (a view with a Connect application component that runs
 * the guide flow) has no documented template, so it is the one step made in the console.
 */
export class GuideWorkspace extends Construct {
  readonly workspace: connect.CfnWorkspace;

  constructor(scope: Construct, id: string, props: GuideWorkspaceProps) {
    super(scope, id);
    this.workspace = new connect.CfnWorkspace(this, 'Workspace', {
      instanceArn: props.instanceArn,
      name: 'WhatsApp templates',
      title: 'WhatsApp templates',
      description: 'Send an approved WhatsApp template to a customer',
      visibility: 'ASSIGNED',
      ...(props.associations.length > 0 ? { associations: [...props.associations] } : {}),
      ...(props.guideViewArn
        ? {
            pages: [{ page: GUIDE_PAGE.page, slug: GUIDE_PAGE.slug, resourceArn: props.guideViewArn }],
          }
        : {}),
    });
    new CfnOutput(this, 'WorkspaceArn', { value: this.workspace.attrArn });
    if (!props.guideViewArn) {
      new CfnOutput(this, 'GuideViewStep', {
        value: `Create a Guide view with a Connect application component, contactFlowId ${props.guideFlowId}; publish it and set guideViewArn in the config, then deploy again.`,
        description: 'The one console step left: the workspace page is added when guideViewArn is set',
      });
    }
  }
}

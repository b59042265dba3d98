import * as connect from 'aws-cdk-lib/aws-connect';
import type { Construct } from 'constructs';
import { renderConnectContent } from './connect-content.js';
import { CONNECT_RESOURCE_NAMES, GUIDE_VIEW_FILES } from './guide-names.js';

type Views<T> = { choose: T; send: T; outcome: T };

/** The guide's customer-managed views (from views/) and one published version of each. */
export function guideViews(
  scope: Construct,
  instanceArn: string,
): { views: Views<connect.CfnView>; versions: Views<connect.CfnViewVersion> } {
  const view = (viewId: string, name: string, file: string, description: string) => {
    const content = JSON.parse(renderConnectContent(file, {})) as { Actions: string[]; Template: unknown };
    return new connect.CfnView(scope, viewId, {
      instanceArn,
      name,
      description,
      actions: content.Actions,
      template: content.Template,
    });
  };
  const views = {
    choose: view(
      'ChooseTemplateView',
      CONNECT_RESOURCE_NAMES.chooseView,
      GUIDE_VIEW_FILES.ChooseTemplateViewArn,
      'Step 1 of the WhatsApp template guide: the customer and the approved templates',
    ),
    send: view(
      'SendTemplateView',
      CONNECT_RESOURCE_NAMES.sendView,
      GUIDE_VIEW_FILES.SendTemplateViewArn,
      'Step 2 of the WhatsApp template guide: the template values, preview and send',
    ),
    outcome: view(
      'TemplateOutcomeView',
      CONNECT_RESOURCE_NAMES.outcomeView,
      GUIDE_VIEW_FILES.TemplateOutcomeViewArn,
      'Confirmation or failure of a WhatsApp template send',
    ),
  };

  // AWS::Connect::ViewVersion: ViewArn and ViewContentSha256 are create-only, so new content makes
  // a new version and the flow moves to it in the same deployment; a running guide keeps its own.
  const version = (id: string, view: connect.CfnView) =>
    new connect.CfnViewVersion(scope, id, {
      viewArn: view.attrViewArn,
      viewContentSha256: view.attrViewContentSha256,
    });
  const versions = {
    choose: version('ChooseTemplateViewVersion', views.choose),
    send: version('SendTemplateViewVersion', views.send),
    outcome: version('TemplateOutcomeViewVersion', views.outcome),
  };
  return { views, versions };
}

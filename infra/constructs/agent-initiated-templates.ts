import { CfnOutput, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/environment-names.js';
import { GUIDE_FUNCTION_TIMEOUT_SECONDS } from '../../shared/config/guide-timing.js';
import type { RelayConfig } from '../config/relay-config.js';
import { arnPrefix, contactsArn, phoneNumberArn } from './arns.js';
import { renderConnectContent } from './connect-content.js';
import type { ConversationTable } from './conversation-table.js';
import { GuideWorkspace } from './guide-workspace.js';
import { declaredManagedViewArns } from './managed-views.js';
import { acknowledgeFindings } from './nag-findings.js';
import { RelayFunction } from './relay-function.js';

export interface AgentInitiatedTemplatesProps {
  readonly config: RelayConfig;
  readonly conversations: ConversationTable;
}

import { CONNECT_RESOURCE_NAMES, GUIDE_FUNCTIONS, GUIDE_MANAGED_VIEWS } from './guide-names.js';

export { CONNECT_RESOURCE_NAMES, GUIDE_FUNCTIONS, GUIDE_MANAGED_VIEWS };

// The flow waits at most 8 s for a Lambda: each function stops before that, so a template is never
// sent after the flow has shown the agent "not confirmed" (shared/config/guide-timing.ts).
const FUNCTION_TIMEOUT = Duration.seconds(GUIDE_FUNCTION_TIMEOUT_SECONDS);

/**
 * Agent-initiated WhatsApp templates, deployed with no console edits: the customers table, the
 * customer-data and send-template functions (integrated with the Connect instance and invokable
 * only by it), and the guide flow, which shows Connect's AWS managed Cards, Form and Detail views
 * (no customer-managed view to publish or version). The inbound flow that routes a reply back to
 * the agent who sent the template is the core relay's (InboundRoutingFlow). Only the Guide view and the workspace page remain manual
 * (CloudFormation has no resource for them; README → Agent-initiated templates).
 */
export class AgentInitiatedTemplates extends Construct {
  readonly customersTable: dynamodb.Table;
  readonly customerDataFunction: RelayFunction;
  readonly sendTemplateFunction: RelayFunction;
  readonly guideFlow: connect.CfnContactFlow;
  readonly workspace: GuideWorkspace;

  constructor(scope: Construct, id: string, props: AgentInitiatedTemplatesProps) {
    super(scope, id);
    const { config } = props;
    const instanceArn = config.connectInstanceArn;
    const senderPhoneNumberId =
      config.templateSenderPhoneNumberId ?? config.businessNumbers[0]?.phoneNumberId ?? '';

    this.customersTable = new dynamodb.Table(this, 'CustomersTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Customer records are business data: deleting the stack must not delete them.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // arn:aws:connect:<region>:<account>:instance/<id>
    const instanceId = Fn.select(1, Fn.split('/', instanceArn));
    const catalogueSettings = {
      [ENV.connectInstanceId]: instanceId,
      [ENV.whatsAppBusinessAccountId]: config.whatsAppBusinessAccountId,
      [ENV.templateAllowList]: (config.templateAllowList ?? []).join(','),
      [ENV.templateCacheTtlSeconds]: String(config.templateCacheTtlSeconds),
    };
    this.customerDataFunction = new RelayFunction(this, 'CustomerDataFunction', {
      functionName: 'customer-data',
      serviceName: 'whatsapp-customer-data',
      logRetentionDays: config.logRetentionDays,
      timeout: FUNCTION_TIMEOUT,
    })
      // Least privilege: item reads of customers, and of conversations (the marketing choice).
      .bindCustomersTable(this.customersTable)
      .bindConversationTable(props.conversations, 'read')
      .configure({ ...catalogueSettings, [ENV.templateSenderPhoneNumberId]: senderPhoneNumberId });
    this.sendTemplateFunction = new RelayFunction(this, 'SendTemplateFunction', {
      functionName: 'send-template',
      serviceName: 'whatsapp-send-template',
      logRetentionDays: config.logRetentionDays,
      timeout: FUNCTION_TIMEOUT,
    })
      .bindConversationTable(props.conversations, 'template-initiation')
      .configure({
        ...catalogueSettings,
        [ENV.templateSenderPhoneNumberId]: senderPhoneNumberId,
        [ENV.metaApiVersion]: config.metaApiVersion,
        [ENV.conversationTtlDays]: String(config.conversationTtlDays),
      });

    // Least privilege: templates of one WABA, sends from one number.
    const readTemplates = new iam.PolicyStatement({
      sid: 'ReadTemplatesOfTheConfiguredWaba',
      actions: [
        'social-messaging:ListWhatsAppMessageTemplates',
        'social-messaging:GetWhatsAppMessageTemplate',
      ],
      resources: [wabaArn(this, config.whatsAppBusinessAccountId)],
    });
    this.customerDataFunction.addToRolePolicy(readTemplates);
    this.sendTemplateFunction.addToRolePolicy(readTemplates);
    this.sendTemplateFunction.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendFromTheTemplateSenderNumberOnly',
        actions: ['social-messaging:SendWhatsAppMessage'],
        resources: [phoneNumberArn(this, senderPhoneNumberId)],
      }),
    );

    // DescribeContact on the guide contact and the customer contact it is related to: who is
    // sending, and to whom (shared/use-cases/find-guide-context.ts). Contacts of this instance only.
    const describeContacts = new iam.PolicyStatement({
      sid: 'DescribeContactsOfTheInstance',
      actions: ['connect:DescribeContact'],
      resources: [contactsArn(instanceArn)],
    });
    for (const fn of [this.customerDataFunction, this.sendTemplateFunction]) {
      fn.addToRolePolicy(describeContacts);
      acknowledgeFindings(fn.role ?? fn, {
        [`AwsSolutions-IAM5[Resource::${contactsArn(instanceArn)}]`]:
          'Guide and customer contacts are created at run time; DescribeContact is limited to contacts of the configured instance.',
      });
    }

    const associations = [
      this.admitConnect('CustomerData', this.customerDataFunction, instanceArn),
      this.admitConnect('SendTemplate', this.sendTemplateFunction, instanceArn),
    ];

    this.guideFlow = new connect.CfnContactFlow(this, 'GuideFlow', {
      instanceArn,
      name: CONNECT_RESOURCE_NAMES.guideFlow,
      type: 'CONTACT_FLOW',
      state: 'ACTIVE',
      description: 'Agent Workspace guide: pick an approved WhatsApp template, review its values, send it',
      content: renderConnectContent('flows/agent-initiated-template.json', {
        CustomerDataFunctionArn: this.customerDataFunction.functionArn,
        SendTemplateFunctionArn: this.sendTemplateFunction.functionArn,
        // Fails the synth if the flow would show a managed view views/aws-managed-views.json lacks.
        ...declaredManagedViewArns(this, GUIDE_MANAGED_VIEWS),
      }),
    });
    // Connect checks that a flow's Lambdas are integrated with the instance when it saves the flow.
    for (const association of associations) this.guideFlow.node.addDependency(association);

    // Alarms and dashboard rows: RelayObservability (infra/constructs/template-monitoring.ts).
    const guideFlowId = Fn.select(3, Fn.split('/', this.guideFlow.attrContactFlowArn));
    this.workspace = new GuideWorkspace(this, 'GuideWorkspace', {
      instanceArn,
      associations: config.guideWorkspaceAssociations,
      ...(config.guideViewArn ? { guideViewArn: config.guideViewArn } : {}),
      guideFlowId,
    });
    new CfnOutput(this, 'GuideFlowId', {
      value: guideFlowId,
      description: 'Put this in the Connect Application component (contactFlowId) of the Guide view',
    });
    new CfnOutput(this, 'CustomersTableName', {
      value: this.customersTable.tableName,
      description: 'CUSTOMERS_TABLE_NAME for npm run seed:customers',
    });
  }

  /** Integrates a function with the instance and lets only that instance, in this account, invoke it. */
  private admitConnect(name: string, fn: lambda.IFunction, instanceArn: string) {
    fn.addPermission(`${name}InvokedByConnect`, {
      principal: new iam.ServicePrincipal('connect.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceArn: instanceArn,
      sourceAccount: Stack.of(this).account,
    });
    return new connect.CfnIntegrationAssociation(this, `${name}Integration`, {
      instanceId: instanceArn,
      integrationArn: fn.functionArn,
      integrationType: 'LAMBDA_FUNCTION',
    });
  }
}

/** `waba-<id>` or a WABA ARN → the WABA ARN IAM statements need. */
export function wabaArn(scope: Construct, wabaId: string): string {
  return wabaId.startsWith('arn:')
    ? wabaId
    : `${arnPrefix(scope, 'social-messaging')}:waba/${wabaId.replace(/^waba-/, '')}`;
}

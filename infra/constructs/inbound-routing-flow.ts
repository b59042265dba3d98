import { CfnOutput, Fn } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';
import { type RelayConfig, type ResolvedRelayConfig, resolveInboundFlows } from '../config/relay-config.js';
import { renderConnectContent } from './connect-content.js';
import { CONNECT_RESOURCE_NAMES } from './guide-names.js';

export interface InboundRoutingFlowProps {
  readonly config: RelayConfig;
}

/**
 * The core relay's inbound flow (flows/inbound-whatsapp.json), where new WhatsApp chats of numbers
 * without a flow of their own start: back to the agent who sent the customer a template when that
 * agent is available, else the default queue. Its customer queue flow
 * (flows/agent-route-back-queue.json) moves a reply waiting for that agent to the default queue
 * after `routeBackWaitSeconds`.
 *
 * The flows keep the logical ids they had when the templates construct deployed them: a changed id
 * would make CloudFormation create the replacement first, and Connect refuses a second flow of the
 * same name in an instance, so the update would fail.
 */
export class InboundRoutingFlow extends Construct {
  readonly inboundFlow: connect.CfnContactFlow;
  /** Customer queue flow: a reply waiting for its agent moves to the default queue after a while. */
  readonly routeBackQueueFlow: connect.CfnContactFlow;
  /** The configuration with the deployed inbound flow filled in where a number has none. */
  readonly inboundConfig: ResolvedRelayConfig;

  constructor(scope: Construct, id: string, props: InboundRoutingFlowProps) {
    super(scope, id);
    const { config } = props;
    const instanceArn = config.connectInstanceArn;

    this.routeBackQueueFlow = new connect.CfnContactFlow(this, 'RouteBackQueueFlow', {
      instanceArn,
      name: CONNECT_RESOURCE_NAMES.routeBackQueueFlow,
      type: 'CUSTOMER_QUEUE',
      state: 'ACTIVE',
      description:
        'A reply queued for the agent who sent the template moves to the default queue if not taken in time',
      content: renderConnectContent('flows/agent-route-back-queue.json', {
        DefaultQueueArn: config.defaultQueueArn,
        RouteBackWaitSeconds: String(config.routeBackWaitSeconds),
      }),
    });
    this.routeBackQueueFlow.overrideLogicalId('AgentInitiatedTemplatesRouteBackQueueFlow9B8917B8');

    this.inboundFlow = new connect.CfnContactFlow(this, 'InboundFlow', {
      instanceArn,
      name: CONNECT_RESOURCE_NAMES.inboundFlow,
      type: 'CONTACT_FLOW',
      state: 'ACTIVE',
      description:
        'WhatsApp chats: back to the agent who sent a template when available, else the default queue',
      content: renderConnectContent('flows/inbound-whatsapp.json', {
        DefaultQueueArn: config.defaultQueueArn,
        RouteBackQueueFlowArn: this.routeBackQueueFlow.attrContactFlowArn,
      }),
    });
    this.inboundFlow.overrideLogicalId('AgentInitiatedTemplatesInboundFlowC00E9D45');

    // arn:…:instance/<instance id>/contact-flow/<flow id>
    const inboundFlowId = Fn.select(3, Fn.split('/', this.inboundFlow.attrContactFlowArn));
    this.inboundConfig = resolveInboundFlows(config, inboundFlowId);
    new CfnOutput(this, 'InboundFlowId', { value: inboundFlowId }).overrideLogicalId(
      'AgentInitiatedTemplatesInboundFlowIdB07A9845',
    );
  }
}

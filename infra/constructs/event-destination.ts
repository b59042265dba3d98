import { CustomResource, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EVENT_DESTINATION_PROPERTIES } from '../../shared/config/event-destination-config.js';
import { RelayFunction } from './relay-function.js';

export interface WabaEventDestinationProps {
  /** `waba-<id>` or the WABA ARN, as EUM Social names it. */
  readonly wabaId: string;
  readonly wabaArn: string;
  readonly topic: sns.ITopic;
  /** Replace a destination that points elsewhere, instead of failing the deploy. */
  readonly takeOver: boolean;
  readonly logRetentionDays: number;
}

/**
 * Points the WhatsApp Business Account's event destination at the relay's inbound topic, so no
 * one has to set it in the console, without cutting anyone else off: a WABA has exactly one
 * destination, which may already feed Connect's native WhatsApp channel or another app. A small
 * function (functions/event-destination) reads the current destination first: it sets it when
 * unset or already this stack's, and otherwise fails the deploy naming both ARNs, unless
 * `takeOverEventDestination` is set. On stack deletion it clears the destination only while it is
 * still this stack's topic.
 *
 * The function is the custom resource's provider itself (it answers CloudFormation's response URL),
 * so there is no provider framework, and no AWS-managed policy, behind it.
 */
export class WabaEventDestination extends Construct {
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: WabaEventDestinationProps) {
    super(scope, id);
    const fn = new RelayFunction(this, 'Function', {
      functionName: 'event-destination',
      serviceName: 'whatsapp-event-destination',
      logRetentionDays: props.logRetentionDays,
      timeout: Duration.seconds(60),
      memorySize: 256,
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadAndSetTheConfiguredWabaEventDestination',
        actions: [
          'social-messaging:GetLinkedWhatsAppBusinessAccount',
          'social-messaging:PutWhatsAppBusinessAccountEventDestinations',
        ],
        resources: [props.wabaArn],
      }),
    );
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::WabaEventDestination',
      properties: {
        [EVENT_DESTINATION_PROPERTIES.wabaId]: props.wabaId,
        [EVENT_DESTINATION_PROPERTIES.topicArn]: props.topic.topicArn,
        [EVENT_DESTINATION_PROPERTIES.takeOver]: props.takeOver,
      },
    });
    // The topic policy must admit EUM Social before it is told to publish there, and the function
    // must hold its permissions before CloudFormation invokes it.
    this.resource.node.addDependency(props.topic);
    if (fn.role) this.resource.node.addDependency(fn.role);
  }
}

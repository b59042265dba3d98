import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeFindings } from './relay-function.js';

/** The id aws-cdk-lib gives the singleton Lambda behind every AwsCustomResource in a stack. */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

export interface WabaEventDestinationProps {
  /** `waba-<id>` or the WABA ARN, as EUM Social names it. */
  readonly wabaId: string;
  readonly wabaArn: string;
  readonly topic: sns.ITopic;
}

/**
 * Points the WhatsApp Business Account's event destination at the relay's inbound topic on every
 * deploy, so no one has to set it in the console. On stack deletion the destination is cleared,
 * so EUM Social stops publishing to a topic that no longer exists.
 */
export class WabaEventDestination extends Construct {
  constructor(scope: Construct, id: string, props: WabaEventDestinationProps) {
    super(scope, id);
    const call = (eventDestinations: { eventDestinationArn: string }[]): cr.AwsSdkCall => ({
      service: 'SocialMessaging',
      action: 'putWhatsAppBusinessAccountEventDestinations',
      parameters: { id: props.wabaId, eventDestinations },
      physicalResourceId: cr.PhysicalResourceId.of(`event-destination-${props.wabaId}`),
    });
    const resource = new cr.AwsCustomResource(this, 'Resource', {
      onCreate: call([{ eventDestinationArn: props.topic.topicArn }]),
      onUpdate: call([{ eventDestinationArn: props.topic.topicArn }]),
      onDelete: call([]),
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['social-messaging:PutWhatsAppBusinessAccountEventDestinations'],
          resources: [props.wabaArn],
        }),
      ]),
      installLatestAwsSdk: false,
    });
    // The topic policy must admit EUM Social before it is told to publish there.
    resource.node.addDependency(props.topic);
    // The provider Lambda is one per stack, created by aws-cdk-lib beside this construct.
    const provider = Stack.of(this).node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
    acknowledgeFindings(provider ?? this, {
      'AwsSolutions-L1': "The runtime of CDK's AwsCustomResource provider is chosen by aws-cdk-lib.",
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        "CDK's custom-resource provider logs with the AWS basic execution role; it runs only at deploy time.",
    });
  }
}

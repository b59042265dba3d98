import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { ConversationTable } from '../../infra/constructs/conversation-table.js';
import { QueueSeal } from '../../infra/constructs/queue-policies.js';
import { RelayFunction } from '../../infra/constructs/relay-function.js';
import { RelayQueue } from '../../infra/constructs/relay-queue.js';
import { ENV } from '../../shared/config/environment-names.js';

/**
 * Issue 9, part 5: RelayFunction's bind* helpers grant exactly what the function needs and set
 * the variable its config loader reads, in one call.
 */

function stackWithFunction() {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Bindings', { env: { account: '111122223333', region: 'us-east-1' } });
  const fn = new RelayFunction(stack, 'Fn', {
    functionName: 'outbound',
    serviceName: 'bindings-under-test',
    logRetentionDays: 30,
  });
  return { stack, fn };
}

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown };

function statementsOf(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}

describe('RelayFunction bind helpers', () => {
  it('lets the outbound relay describe contacts of its instance only, and tells it the instance id', () => {
    // Prepare
    const { stack, fn } = stackWithFunction();
    const instance = 'arn:aws:connect:us-east-1:111122223333:instance/a1b2c3d4-5678-90ab-cdef-111122223333';

    // Act
    fn.bindContactDescriptions(instance);

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ [ENV.connectInstanceId]: 'a1b2c3d4-5678-90ab-cdef-111122223333' }),
      },
    });
    const connect = statementsOf(template).filter((s) => JSON.stringify(s.Action).includes('connect:'));
    expect(connect).toEqual([
      expect.objectContaining({ Action: 'connect:DescribeContact', Resource: `${instance}/contact/*` }),
    ]);
  });

  it('gives the send-template function only the item calls it makes on conversations, and the table name', () => {
    // Prepare
    const { stack, fn } = stackWithFunction();
    const conversations = new ConversationTable(stack, 'Conversations');

    // Act
    fn.bindConversationTable(conversations, 'template-initiation');

    // Assess
    const template = Template.fromStack(stack);
    const tableId = stack.getLogicalId(conversations.table.node.defaultChild as never);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.conversationTable]: { Ref: tableId } }) },
    });
    const dynamo = statementsOf(template).filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(dynamo.flatMap((s) => s.Action).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
  });

  it('lets an ordering stage send only to its FIFO queue and its source DLQ, and tells it both URLs', () => {
    // Prepare
    const { stack, fn } = stackWithFunction();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const source = new RelayQueue(stack, 'Source', { key, consumerTimeout: Duration.seconds(30) });
    const ordered = new RelayQueue(stack, 'Ordered', {
      key,
      consumerTimeout: Duration.seconds(30),
      fifo: true,
    });

    // SNS feeds the standard queue (a queue that admits no sender fails the synth).
    QueueSeal.of(source.queue).admitTopic(new sns.Topic(stack, 'Feed'));

    // Act
    fn.bindOrderingQueues(ordered, source, key);

    // Assess
    const template = Template.fromStack(stack);
    const id = (queue: RelayQueue['queue']) => stack.getLogicalId(queue.node.defaultChild as never);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.orderedQueue]: { Ref: id(ordered.queue) },
          [ENV.deadLetterQueue]: { Ref: id(source.deadLetterQueue) },
        }),
      },
    });
    const sqs = statementsOf(template).filter((s) => JSON.stringify(s.Action).includes('sqs:'));
    expect(sqs).toEqual([
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Resource: [
          { 'Fn::GetAtt': [id(ordered.queue), 'Arn'] },
          { 'Fn::GetAtt': [id(source.deadLetterQueue), 'Arn'] },
        ],
      }),
    ]);
  });

  it('names the streaming topic without any SNS permission (Connect publishes, not the function)', () => {
    // Prepare
    const { stack, fn } = stackWithFunction();
    const topic = new sns.Topic(stack, 'Streaming');

    // Act
    fn.bindStreamingTopic(topic);

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.streamingTopic]: { Ref: stack.getLogicalId(topic.node.defaultChild as never) },
        }),
      },
    });
    expect(statementsOf(template).filter((s) => JSON.stringify(s.Action).includes('sns:'))).toEqual([]);
  });
});

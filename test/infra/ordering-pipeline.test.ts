import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { Template as CdkTemplate } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { loadRelayConfigFile } from '../../infra/config/relay-config.js';

/**
 * Issue 9, part 1: behind each standard queue an ordering stage forwards every item to an SQS FIFO
 * queue in its conversation's message group, and the relay reads the FIFO queue.
 */

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Sid?: string };

function synthesize(): Template {
  const outdir = mkdtempSync(join(tmpdir(), 'relay-ordering-synth-'));
  const { app, stack } = buildApp(loadRelayConfigFile('config/relay.example.json'), new App({ outdir }));
  app.synth();
  return CdkTemplate.fromStack(stack);
}

/** The logical id a `{ Fn::GetAtt: [id, 'Arn'] }` or `{ Ref: id }` points at. */
function target(reference: unknown): string | undefined {
  const value = reference as { 'Fn::GetAtt'?: [string, string]; Ref?: string } | undefined;
  return value?.['Fn::GetAtt']?.[0] ?? value?.Ref;
}

describe('ordered pipeline (infra)', () => {
  let template: Template;
  let resources: Record<string, Resource>;
  const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
  const functionNamed = (service: string) => {
    const found = ofType('AWS::Lambda::Function').find(
      ([, fn]) =>
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables
          .POWERTOOLS_SERVICE_NAME === service,
    );
    if (!found) throw new Error(`No function for ${service}`);
    return {
      id: found[0],
      env: (found[1].Properties.Environment as { Variables: Record<string, unknown> }).Variables,
    };
  };
  const mappingOf = (functionId: string) => {
    const found = ofType('AWS::Lambda::EventSourceMapping').find(
      ([, mapping]) => target(mapping.Properties.FunctionName) === functionId,
    );
    if (!found) throw new Error(`No event source mapping for ${functionId}`);
    return found[1].Properties;
  };
  const queue = (id: string | undefined) => resources[id ?? '']?.Properties ?? {};

  beforeAll(() => {
    template = synthesize();
    resources = template.toJSON().Resources as Record<string, Resource>;
  });

  it.each([
    ['whatsapp-inbound', 'whatsapp-inbound-ordering'],
    ['whatsapp-outbound', 'whatsapp-outbound-ordering'],
  ])('feeds %s from a FIFO queue with a FIFO dead-letter queue, with partial batch failures', (relay) => {
    const fn = functionNamed(relay);
    const mapping = mappingOf(fn.id);
    const fifo = queue(target(mapping.EventSourceArn));
    expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(fifo).toMatchObject({ FifoQueue: true, ContentBasedDeduplication: false, VisibilityTimeout: 180 });
    expect(fifo.KmsMasterKeyId).toBeDefined();
    const redrive = fifo.RedrivePolicy as { deadLetterTargetArn: unknown; maxReceiveCount: number };
    expect(redrive.maxReceiveCount).toBe(5);
    const dlqId = target(redrive.deadLetterTargetArn);
    expect(queue(dlqId)).toMatchObject({ FifoQueue: true, ContentBasedDeduplication: false });
    expect(queue(dlqId).KmsMasterKeyId).toBeDefined();
    // The relay's own dead-lettering (malformed, refused) goes to that same FIFO DLQ.
    expect(target(fn.env.DEAD_LETTER_QUEUE_URL)).toBe(dlqId);
  });

  it.each([
    ['whatsapp-inbound-ordering', 'whatsapp-inbound'],
    ['whatsapp-outbound-ordering', 'whatsapp-outbound'],
  ])(
    'runs %s on the standard queue the topic feeds, forwarding to its relay’s FIFO queue',
    (ordering, relay) => {
      const stage = functionNamed(ordering);
      const mapping = mappingOf(stage.id);
      const standardId = target(mapping.EventSourceArn);
      const standard = queue(standardId);
      expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(standard.FifoQueue).toBeUndefined();
      expect(standard.KmsMasterKeyId).toBeDefined();
      const subscribed = ofType('AWS::SNS::Subscription').some(
        ([, subscription]) => target(subscription.Properties.Endpoint) === standardId,
      );
      expect(subscribed).toBe(true);
      const relayFifo = target(mappingOf(functionNamed(relay).id).EventSourceArn);
      expect(target(stage.env.ORDERED_QUEUE_URL)).toBe(relayFifo);
      const standardDlq = target(
        (standard.RedrivePolicy as { deadLetterTargetArn: unknown }).deadLetterTargetArn,
      );
      expect(target(stage.env.DEAD_LETTER_QUEUE_URL)).toBe(standardDlq);
    },
  );

  it.each(['whatsapp-inbound-ordering', 'whatsapp-outbound-ordering'])(
    'lets %s send only to its FIFO queue and its DLQ, and use only the relay key to do so',
    (ordering) => {
      const stage = functionNamed(ordering);
      const roleId = target(resources[stage.id]?.Properties.Role);
      const statements = ofType('AWS::IAM::Policy')
        .filter(([, policy]) =>
          (policy.Properties.Roles as unknown[]).some((role) => target(role) === roleId),
        )
        .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      const actions = (statement: Statement) => [statement.Action].flat();
      const sends = statements.filter((statement) =>
        actions(statement).some((action) => /^sqs:Send/.test(action)),
      );
      expect(sends).toHaveLength(1);
      expect(actions(sends[0] as Statement)).toEqual(['sqs:SendMessage']);
      const sendTargets = [(sends[0] as Statement).Resource].flat().map(target).sort();
      const fifo = target(stage.env.ORDERED_QUEUE_URL);
      const dlq = target(stage.env.DEAD_LETTER_QUEUE_URL);
      expect(sendTargets).toEqual([fifo, dlq].sort());
      for (const statement of statements) {
        for (const action of actions(statement)) {
          expect(action.startsWith('sqs:') || action.startsWith('kms:') || /^(logs|xray):/.test(action)).toBe(
            true,
          );
          if (action.startsWith('kms:')) expect(target(statement.Resource)).toMatch(/^EncryptionKey/);
        }
      }
      // Reads only its standard queue (the event source mapping's grant).
      const reads = statements.filter((statement) => actions(statement).includes('sqs:ReceiveMessage'));
      expect(reads.map((statement) => target(statement.Resource))).toEqual([
        target(mappingOf(stage.id).EventSourceArn),
      ]);
    },
  );

  it('alarms on the ordering stages and the FIFO dead-letter queues too', () => {
    const descriptions = ofType('AWS::CloudWatch::Alarm').map(([, alarm]) =>
      String(alarm.Properties.AlarmDescription),
    );
    for (const name of ['InboundOrdering', 'OutboundOrdering']) {
      expect(descriptions.filter((text) => text.startsWith(`${name}:`)).length).toBeGreaterThan(0);
    }
  });
});

import {
  GetLinkedWhatsAppBusinessAccountCommand,
  PutWhatsAppBusinessAccountEventDestinationsCommand,
  ResourceNotFoundException,
  SocialMessagingClient,
  ThrottledRequestException,
} from '@aws-sdk/client-socialmessaging';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/event-destination/handler.js';
import { putCloudFormationResponse } from '../../shared/adapters/cloudformation-response.js';
import { EumEventDestinations } from '../../shared/adapters/eum-event-destinations.js';
import { readEventDestinationProperties } from '../../shared/config/event-destination-config.js';
import type { CustomResourceReply } from '../../shared/ports/event-destinations.js';
import type { Telemetry } from '../../shared/ports/telemetry.js';
import { ReconcileEventDestination } from '../../shared/use-cases/reconcile-event-destination.js';

const social = mockClient(SocialMessagingClient);
const WABA = 'waba-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const OUR_TOPIC = 'arn:aws:sns:us-east-1:111122223333:WhatsAppConnectRelay-Inbound-1A2B3C';
const OUR_OLD_TOPIC = 'arn:aws:sns:us-east-1:111122223333:WhatsAppConnectRelay-Inbound-OLD';
// Connect's native WhatsApp channel, or another app: someone else's destination.
const NATIVE_CHANNEL = 'arn:aws:connect:us-east-1:111122223333:instance/a1b2c3d4-5678-90ab-cdef-111122223333';

type RequestType = CloudFormationCustomResourceEvent['RequestType'];

function event(
  requestType: RequestType,
  properties: Record<string, unknown> = {},
  old: Record<string, unknown> = {},
): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:event-destination',
    ResponseURL: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/signed',
    StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/WhatsAppConnectRelay/1',
    RequestId: 'request-1',
    LogicalResourceId: 'WabaEventDestination',
    ResourceType: 'Custom::WabaEventDestination',
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:event-destination',
      WabaId: WABA,
      TopicArn: OUR_TOPIC,
      TakeOverEventDestination: 'false',
      ...properties,
    },
  };
  if (requestType === 'Create') return { ...common, RequestType: 'Create' };
  const physical = { PhysicalResourceId: `event-destination-${WABA}` };
  if (requestType === 'Delete') return { ...common, ...physical, RequestType: 'Delete' };
  return {
    ...common,
    ...physical,
    RequestType: 'Update',
    OldResourceProperties: { ...common.ResourceProperties, ...old },
  };
}

/** The WABA's destination as EUM Social reports it (GetLinkedWhatsAppBusinessAccount). */
function wabaSendsTo(destination: string | undefined) {
  social.on(GetLinkedWhatsAppBusinessAccountCommand, { id: WABA }).resolves({
    account: {
      arn: 'arn:aws:social-messaging:us-east-1:111122223333:waba/0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      id: WABA,
      wabaId: '123456789012345',
      registrationStatus: 'COMPLETE',
      linkDate: new Date('2026-01-01T00:00:00Z'),
      wabaName: 'Support',
      eventDestinations: destination ? [{ eventDestinationArn: destination }] : [],
      phoneNumbers: [],
    },
  });
}

function environment() {
  const replies: CustomResourceReply[] = [];
  const logs: { level: string; message: string; attributes?: unknown }[] = [];
  const telemetry: Telemetry = {
    count: () => {},
    measure: () => {},
    info: (message, attributes) => logs.push({ level: 'info', message, attributes }),
    warn: (message, attributes) => logs.push({ level: 'warn', message, attributes }),
    error: (message, attributes) => logs.push({ level: 'error', message, attributes }),
  };
  const handler = makeHandler({
    reconcile: new ReconcileEventDestination({
      destinations: new EumEventDestinations(new SocialMessagingClient({ region: 'us-east-1' })),
      telemetry,
    }),
    readSettings: readEventDestinationProperties,
    respond: async (_url, reply) => {
      replies.push(reply);
    },
    telemetry,
  });
  const destinationsPut = () =>
    social
      .commandCalls(PutWhatsAppBusinessAccountEventDestinationsCommand)
      .map((call) => call.args[0].input.eventDestinations?.map((d) => d.eventDestinationArn));
  return { handler, replies, logs, destinationsPut };
}

describe('WABA event destination on deploy', () => {
  beforeEach(() => {
    social.reset();
    social.on(PutWhatsAppBusinessAccountEventDestinationsCommand).resolves({});
  });

  it('points a WABA without a destination at the inbound topic', async () => {
    // Prepare
    wabaSendsTo(undefined);
    const { handler, replies, destinationsPut } = environment();

    // Act
    await handler(event('Create'));

    // Assess
    expect(destinationsPut()).toEqual([[OUR_TOPIC]]);
    expect(replies).toEqual([
      expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: `event-destination-${WABA}` }),
    ]);
  });

  it('leaves a WABA already sending to this stack as it is, and succeeds', async () => {
    // Prepare
    wabaSendsTo(OUR_TOPIC);
    const { handler, replies, destinationsPut } = environment();

    // Act
    await handler(event('Update'));

    // Assess
    expect(destinationsPut()).toEqual([]);
    expect(replies.map((reply) => reply.Status)).toEqual(['SUCCESS']);
  });

  it("fails the deploy, naming both ARNs, when the WABA already feeds someone else (Connect's native channel)", async () => {
    // Prepare
    wabaSendsTo(NATIVE_CHANNEL);
    const { handler, replies, destinationsPut } = environment();

    // Act
    await handler(event('Create'));

    // Assess
    expect(destinationsPut()).toEqual([]);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.Status).toBe('FAILED');
    expect(replies[0]?.Reason).toContain(NATIVE_CHANNEL);
    expect(replies[0]?.Reason).toContain(OUR_TOPIC);
    expect(replies[0]?.Reason).toContain('takeOverEventDestination');
  });

  it('takes the destination over when the configuration says so, and logs what it replaced', async () => {
    // Prepare
    wabaSendsTo(NATIVE_CHANNEL);
    const { handler, replies, logs, destinationsPut } = environment();

    // Act
    await handler(event('Create', { TakeOverEventDestination: 'true' }));

    // Assess
    expect(destinationsPut()).toEqual([[OUR_TOPIC]]);
    expect(replies.map((reply) => reply.Status)).toEqual(['SUCCESS']);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        attributes: expect.objectContaining({ replacing: NATIVE_CHANNEL }),
      }),
    );
  });

  it('moves the destination to a replaced inbound topic, since the old one was this stack’s', async () => {
    // Prepare
    wabaSendsTo(OUR_OLD_TOPIC);
    const { handler, replies, destinationsPut } = environment();

    // Act
    await handler(event('Update', {}, { TopicArn: OUR_OLD_TOPIC }));

    // Assess
    expect(destinationsPut()).toEqual([[OUR_TOPIC]]);
    expect(replies.map((reply) => reply.Status)).toEqual(['SUCCESS']);
  });

  it('answers CloudFormation with the reason when EUM Social throttles, rather than leaving the stack waiting', async () => {
    // Prepare
    social
      .on(GetLinkedWhatsAppBusinessAccountCommand)
      .rejects(new ThrottledRequestException({ message: 'Rate exceeded', $metadata: {} }));
    const { handler, replies } = environment();

    // Act
    await handler(event('Create'));

    // Assess
    expect(replies).toEqual([expect.objectContaining({ Status: 'FAILED', Reason: 'Rate exceeded' })]);
  });

  it('fails with the property named when the resource properties are malformed', async () => {
    // Prepare
    const { handler, replies } = environment();

    // Act
    await handler(event('Create', { TopicArn: 'not-an-arn' }));

    // Assess
    expect(replies[0]?.Status).toBe('FAILED');
    expect(replies[0]?.Reason).toMatch(/TopicArn: must be an SNS topic ARN/);
  });
});

describe('WABA event destination on stack deletion', () => {
  beforeEach(() => {
    social.reset();
    social.on(PutWhatsAppBusinessAccountEventDestinationsCommand).resolves({});
  });

  it('clears the destination while it is still this stack’s topic', async () => {
    // Prepare
    wabaSendsTo(OUR_TOPIC);
    const { handler, replies, destinationsPut } = environment();

    // Act
    await handler(event('Delete'));

    // Assess
    expect(destinationsPut()).toEqual([[]]);
    expect(replies).toEqual([
      expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: `event-destination-${WABA}` }),
    ]);
  });

  it('leaves a destination someone else has set since (or a failed create never took) alone', async () => {
    // Prepare
    wabaSendsTo(NATIVE_CHANNEL);
    const { handler, replies, destinationsPut } = environment();

    // Act
    await handler(event('Delete'));

    // Assess
    expect(destinationsPut()).toEqual([]);
    expect(replies.map((reply) => reply.Status)).toEqual(['SUCCESS']);
  });

  it('succeeds when the WABA is no longer linked, so the stack can still be deleted', async () => {
    // Prepare
    social
      .on(GetLinkedWhatsAppBusinessAccountCommand)
      .rejects(new ResourceNotFoundException({ message: 'WABA not found', $metadata: {} }));
    const { handler, replies, destinationsPut } = environment();

    // Act
    await handler(event('Delete'));

    // Assess
    expect(destinationsPut()).toEqual([]);
    expect(replies.map((reply) => reply.Status)).toEqual(['SUCCESS']);
  });
});

describe('CloudFormation response upload', () => {
  it('PUTs the JSON result to the pre-signed URL with an empty content type, and fails loudly otherwise', async () => {
    // Prepare
    const requests: { url: string; init: RequestInit }[] = [];
    const okFetch = (async (url: string, init: RequestInit) => {
      requests.push({ url, init });
      return new Response(null, { status: 200 });
    }) as unknown as typeof fetch;
    const failingFetch = (async () => new Response(null, { status: 403 })) as unknown as typeof fetch;
    const reply: CustomResourceReply = {
      Status: 'FAILED',
      Reason: 'x'.repeat(10_000),
      PhysicalResourceId: 'p',
      StackId: 's',
      RequestId: 'r',
      LogicalResourceId: 'l',
    };

    // Act
    await putCloudFormationResponse('https://signed.example/put', reply, okFetch);
    const failing = putCloudFormationResponse('https://signed.example/put', reply, failingFetch);

    // Assess
    expect(requests[0]?.init.method).toBe('PUT');
    expect(requests[0]?.init.headers).toMatchObject({ 'content-type': '' });
    const sent = JSON.parse(String(requests[0]?.init.body));
    expect(sent).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'p', StackId: 's', RequestId: 'r' });
    expect(sent.Reason.length).toBeLessThan(4096);
    await expect(failing).rejects.toThrowError(/HTTP 403/);
  });
});

import {
  DestinationNotAllowedException,
  type HoursOfOperation,
  LimitExceededException,
} from '@aws-sdk/client-connect';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { NOTICE_PREFIX } from '../../shared/domain/agent-notices.js';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import type { FakeConnectOptions } from '../support/fake-connect.js';
import { FakeWhatsApp } from '../support/fake-whatsapp.js';
import {
  INBOUND_FLOW_ID,
  INSTANCE_ID,
  type InboundEnvironment,
  SECOND_FLOW_ID,
  startInboundEnvironment,
} from '../support/inbound-environment.js';
import {
  BUSINESS,
  eumEnvelope,
  SECOND_BUSINESS,
  sqsEvent,
  sqsRecordFor,
  wamid,
} from '../support/whatsapp-events.js';

/**
 * "Call me" from a WhatsApp chat, through the real inbound entry (functions/inbound/index.ts), the
 * DynamoDB emulator, and Connect and EUM Social faked at the SDK boundary: the message reaches the
 * agent as usual, and Connect places one outbound voice call to the customer.
 */

const OUTBOUND_FLOW_ID = 'c0c0c0c0-1111-2222-3333-444455556666';
const CALLER_ID = '+15550009999';
const HOURS_ID = 'h0h0h0h0-1111-2222-3333-444455556666';

const callbackSettings = (extra: Record<string, unknown> = {}) => ({
  enabled: true,
  outboundFlowId: OUTBOUND_FLOW_ID,
  sourcePhoneNumber: CALLER_ID,
  ...extra,
});

/** BUSINESS offers callbacks (with `callback`); SECOND_BUSINESS offers none unless given. */
function businessNumbers(callback: unknown, second?: unknown): Record<string, string> {
  return {
    BUSINESS_NUMBERS: JSON.stringify([
      { phoneNumberId: BUSINESS.phoneNumberId, inboundFlowId: INBOUND_FLOW_ID, callback },
      {
        phoneNumberId: SECOND_BUSINESS.phoneNumberId,
        inboundFlowId: SECOND_FLOW_ID,
        ...(second ? { callback: second } : {}),
      },
    ]),
  };
}

let customerSequence = 0;

/** A customer with a fresh number, so each scenario has its own conversation and cool-down. */
function newCustomer(): string {
  customerSequence += 1;
  return `4477009${String(100_000 + customerSequence).slice(-5)}`;
}

/** A customer's text as EUM Social delivers it; `userId` only: a username customer whose number is hidden. */
function customerText(
  body: string,
  who: { waId?: string; userId?: string },
  options: { business?: typeof BUSINESS | typeof SECOND_BUSINESS; id?: string } = {},
) {
  const id = options.id ?? wamid();
  const message = {
    ...(who.waId ? { from: who.waId } : {}),
    ...(who.userId ? { from_user_id: who.userId } : {}),
    id,
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'text',
    text: { body },
  };
  const contact = {
    profile: { name: 'Ana Souza' },
    ...(who.waId ? { wa_id: who.waId } : {}),
    ...(who.userId ? { user_id: who.userId } : {}),
  };
  const envelope = eumEnvelope({
    messages: [message],
    contacts: [contact],
    ...(options.business ? { business: options.business } : {}),
  });
  return { id, envelope, record: sqsRecordFor(envelope) };
}

function redelivery(envelope: unknown): SQSRecord {
  return sqsRecordFor(envelope, { receiveCount: 2 });
}

interface World {
  env: InboundEnvironment;
  whatsApp: FakeWhatsApp;
  output: CapturedOutput;
}

async function startWorld(env: Record<string, string>, connect: FakeConnectOptions = {}): Promise<World> {
  const output = captureOutput();
  const started = await startInboundEnvironment({ env, connect });
  // After the environment: its media fake mocks the same EUM Social client (as startRelayEnvironment does).
  return { env: started, whatsApp: new FakeWhatsApp(), output };
}

async function stopWorld(world: World | undefined): Promise<void> {
  if (!world) return;
  world.output.restore();
  world.whatsApp.restore();
  await world.env.stop();
}

/** What the agent reads in the customer's chat (the only chat of this customer). */
function agentTranscript(world: World, waIdOrUserId: string): string[] {
  const contact = [...world.env.connect.contacts.values()].find(
    (candidate) => candidate.input.Attributes?.customerId === waIdOrUserId,
  );
  return contact ? world.env.connect.transcript(contact.contactId) : [];
}

function callsTo(world: World, waId: string) {
  return world.env.connect.outboundCalls.filter((call) => call.input.DestinationPhoneNumber === `+${waId}`);
}

function repliesTo(world: World, recipient: string): string[] {
  return world.whatsApp.sent
    .map((sent) => sent.payload)
    .filter((payload) => payload.to === recipient || payload.recipient === recipient)
    .map((payload) => (payload.text as { body: string }).body);
}

describe('"call me": phrases the customer may write, at the handler', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld(businessNumbers(callbackSettings()));
  });

  afterAll(async () => {
    await stopWorld(world);
  });

  it.each([
    ['call me', 'en', "We're calling you now"],
    ['Call me!', 'en', "We're calling you now"],
    ['please call me back 🙏', 'en', "We're calling you now"],
    ['CAN YOU CALL ME?', 'en', "We're calling you now"],
    ['¡Llámame!', 'es', 'Te estamos llamando'],
    ['llamame por favor', 'es', 'Te estamos llamando'],
    ['Me puedes llamar?', 'es', 'Te estamos llamando'],
    ['Me liga', 'pt', 'Estamos te ligando'],
    ['Pode me ligar, por favor?', 'pt', 'Estamos te ligando'],
    ['quero uma ligação', 'pt', 'Estamos te ligando'],
  ])('"%s" (%s) places one call and the reply is in that language', async (body, _language, replyStart) => {
    // Prepare
    const waId = newCustomer();

    // Act
    const response = await world.env.handler(sqsEvent(customerText(body, { waId }).record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(callsTo(world, waId)).toHaveLength(1);
    expect(agentTranscript(world, waId)[0]).toBe(body);
    const [reply] = repliesTo(world, `+${waId}`);
    expect(reply).toContain(replyStart);
    expect(reply).toContain(CALLER_ID);
  });

  it.each([
    "don't call me",
    'Do not call me',
    'call me later',
    'please don’t call me, write instead',
    'I will call you tomorrow',
    'no me llames',
    'não me liga',
    'who should I call?',
  ])('"%s" is relayed to the agent and places no call', async (body) => {
    // Prepare
    const waId = newCustomer();

    // Act
    const response = await world.env.handler(sqsEvent(customerText(body, { waId }).record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(agentTranscript(world, waId)).toEqual([body]);
    expect(callsTo(world, waId)).toEqual([]);
    expect(repliesTo(world, `+${waId}`)).toEqual([]);
  });
});

describe('"call me": the call, and what the agent and the customer see', () => {
  let world: World | undefined;

  afterEach(async () => {
    vi.useRealTimers();
    await stopWorld(world);
    world = undefined;
  });

  it('calls the customer from the configured number in the outbound flow, with the chat, conversation and agent attributes', async () => {
    // Prepare
    world = await startWorld(businessNumbers(callbackSettings()));
    const waId = newCustomer();
    await world.env.handler(sqsEvent(customerText('Hello, my order is late', { waId }).record));
    const [chat] = [...world.env.connect.contacts.values()];

    // Act
    await world.env.handler(sqsEvent(customerText('Call me', { waId }).record));

    // Assess
    const [call] = callsTo(world, waId);
    expect(call?.input).toMatchObject({
      InstanceId: INSTANCE_ID,
      DestinationPhoneNumber: `+${waId}`,
      ContactFlowId: OUTBOUND_FLOW_ID,
      SourcePhoneNumber: CALLER_ID,
      Attributes: {
        whatsAppContactId: chat?.contactId,
        conversationKey: `${BUSINESS.phoneNumberId}#${waId}`,
        customerId: waId,
      },
    });
    expect(call?.input.ClientToken).toMatch(/^[0-9a-f]{64}$/);
    const transcript = agentTranscript(world, waId);
    expect(transcript.slice(0, 2)).toEqual(['Hello, my order is late', 'Call me']);
    expect(transcript[2]).toContain(NOTICE_PREFIX);
    expect(transcript[2]).toContain(`Connect is calling +${waId} now (contact ${call?.contactId})`);
    expect(repliesTo(world, `+${waId}`)).toEqual([
      `We're calling you now from ${CALLER_ID}. Keep this chat open: we'll answer here too.`,
    ]);
  });

  it('dials once when the same "call me" is delivered three times', async () => {
    // Prepare
    world = await startWorld(businessNumbers(callbackSettings()));
    const waId = newCustomer();
    const request = customerText('call me', { waId });

    // Act: the record, SQS's redelivery of it, and SNS's copy.
    const responses = [
      await world.env.handler(sqsEvent(request.record)),
      await world.env.handler(sqsEvent(redelivery(request.envelope))),
      await world.env.handler(sqsEvent(sqsRecordFor(request.envelope))),
    ];

    // Assess
    expect(responses.map((response) => response.batchItemFailures)).toEqual([[], [], []]);
    expect(world.env.connect.callCount('StartOutboundVoiceContact')).toBe(1);
    expect(callsTo(world, waId)).toHaveLength(1);
    expect(repliesTo(world, `+${waId}`)).toHaveLength(1);
    const transcript = agentTranscript(world, waId);
    expect(transcript.filter((line) => line === 'call me')).toHaveLength(1);
    expect(transcript.filter((line) => line.includes('Connect is calling'))).toHaveLength(1);
  });

  it('never dials again when Connect lost its answer, and tells the agent to check instead', async () => {
    // Prepare: Connect placed the call, but its answer was lost (the connection reset on the way back).
    world = await startWorld(businessNumbers(callbackSettings()), {
      faults: (operation, phase) =>
        operation === 'StartOutboundVoiceContact' && phase === 'after'
          ? Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
          : undefined,
    });
    const waId = newCustomer();
    const request = customerText('call me', { waId });

    // Act
    const first = await world.env.handler(sqsEvent(request.record));
    const again = await world.env.handler(sqsEvent(redelivery(request.envelope)));

    // Assess
    expect([first.batchItemFailures, again.batchItemFailures]).toEqual([[], []]);
    expect(world.env.connect.callCount('StartOutboundVoiceContact')).toBe(1);
    expect(callsTo(world, waId)).toHaveLength(1);
    expect(repliesTo(world, `+${waId}`)).toEqual([]);
    expect(agentTranscript(world, waId).at(-1)).toBe(
      `${NOTICE_PREFIX} The customer asked for a call. Connect did not confirm whether it placed the call (ECONNRESET), so it is not tried again: check the customer's recent contacts before calling them.`,
    );
    expect(world.output.metric('CallbacksUnconfirmed')).toBe(1);
  });

  it('dials once when the first attempt was throttled before it reached Connect', async () => {
    // Prepare
    let throttled = 0;
    world = await startWorld(businessNumbers(callbackSettings()), {
      faults: (operation, phase) =>
        operation === 'StartOutboundVoiceContact' && phase === 'before' && throttled++ === 0
          ? Object.assign(new Error('Rate exceeded'), {
              name: 'ThrottlingException',
              $metadata: { httpStatusCode: 429 },
            })
          : undefined,
    });
    const waId = newCustomer();
    const request = customerText('call me', { waId });

    // Act
    const first = await world.env.handler(sqsEvent(request.record));
    const retry = await world.env.handler(sqsEvent(redelivery(request.envelope)));

    // Assess
    expect(first.batchItemFailures).toHaveLength(1);
    expect(retry.batchItemFailures).toEqual([]);
    expect(callsTo(world, waId)).toHaveLength(1);
    expect(repliesTo(world, `+${waId}`)).toHaveLength(1);
  });

  it('does not dial again when the customer asks again within the cool-down, and tells both sides why', async () => {
    // Prepare
    world = await startWorld(businessNumbers(callbackSettings({ cooldownMinutes: 10 })));
    const waId = newCustomer();
    await world.env.handler(sqsEvent(customerText('call me', { waId }).record));

    // Act
    await world.env.handler(sqsEvent(customerText('call me please', { waId }).record));

    // Assess
    const [call] = callsTo(world, waId);
    expect(callsTo(world, waId)).toHaveLength(1);
    expect(repliesTo(world, `+${waId}`)[1]).toBe(
      `A call to you is already on its way from ${CALLER_ID}. We will answer here too.`,
    );
    expect(agentTranscript(world, waId).at(-1)).toContain(
      `A call was already placed at ${new Date().toISOString().slice(11, 13)}`,
    );
    expect(agentTranscript(world, waId).at(-1)).toContain(
      `(contact ${call?.contactId}), so no new call was made`,
    );
  });

  it('dials again when the customer asks after the cool-down has passed', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    world = await startWorld(businessNumbers(callbackSettings({ cooldownMinutes: 10 })));
    const waId = newCustomer();
    await world.env.handler(sqsEvent(customerText('call me', { waId }).record));
    vi.setSystemTime(Date.now() + 10 * 60_000 + 1_000);

    // Act
    await world.env.handler(sqsEvent(customerText('call me', { waId }).record));

    // Assess
    expect(callsTo(world, waId)).toHaveLength(2);
  });

  it('tells a username-only customer (no visible number) that they cannot be called, and the agent why', async () => {
    // Prepare
    world = await startWorld(businessNumbers(callbackSettings()));
    const userId = 'GB.7700900123456789';

    // Act
    const response = await world.env.handler(sqsEvent(customerText('call me', { userId }).record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(world.env.connect.outboundCalls).toEqual([]);
    expect(repliesTo(world, userId)).toEqual([
      "We can't call you: your phone number isn't visible to us on WhatsApp. Send us the number to call, and an agent will reply here.",
    ]);
    expect(agentTranscript(world, userId)).toEqual([
      'call me',
      `${NOTICE_PREFIX} The customer asked for a call. No call was placed: the customer uses a WhatsApp username and their phone number is not visible (ask them for a number to call).`,
    ]);
  });

  it('explains that calls cannot be requested on a number with callbacks switched off', async () => {
    // Prepare
    world = await startWorld(businessNumbers({ enabled: false }));
    const waId = newCustomer();

    // Act
    await world.env.handler(sqsEvent(customerText('llámame', { waId }).record));

    // Assess
    expect(world.env.connect.outboundCalls).toEqual([]);
    expect(repliesTo(world, `+${waId}`)).toEqual([
      'No podemos hacer la llamada ahora. Un agente te responderá aquí.',
    ]);
    expect(agentTranscript(world, waId).at(-1)).toContain(
      'callbacks are switched off for this WhatsApp number',
    );
  });

  it('relays "call me" on a number without callback settings like any other message', async () => {
    // Prepare
    world = await startWorld(businessNumbers(callbackSettings()));
    const waId = newCustomer();

    // Act
    await world.env.handler(
      sqsEvent(customerText('call me', { waId }, { business: SECOND_BUSINESS }).record),
    );

    // Assess
    expect(world.env.connect.outboundCalls).toEqual([]);
    expect(world.whatsApp.sent).toEqual([]);
    expect(agentTranscript(world, waId)).toEqual(['call me']);
  });

  it('does not call outside the hours of operation, and says so', async () => {
    // Prepare: open every day but today (UTC), all day.
    const today = new Date().toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' }).toUpperCase();
    const days = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
    const hours: HoursOfOperation = {
      TimeZone: 'UTC',
      Config: days
        .filter((day) => day !== today)
        .map((day) => ({ Day: day, StartTime: { Hours: 0, Minutes: 0 }, EndTime: { Hours: 0, Minutes: 0 } })),
    };
    world = await startWorld(businessNumbers(callbackSettings({ hoursOfOperationId: HOURS_ID })), {
      hoursOfOperation: { [HOURS_ID]: hours },
    });
    const waId = newCustomer();

    // Act
    await world.env.handler(sqsEvent(customerText('me liga', { waId }).record));

    // Assess
    expect(world.env.connect.outboundCalls).toEqual([]);
    expect(world.env.connect.callCount('DescribeHoursOfOperation')).toBe(1);
    expect(repliesTo(world, `+${waId}`)).toEqual([
      'Não conseguimos te ligar agora: estamos fora do horário de ligações. Um atendente responderá aqui.',
    ]);
    expect(agentTranscript(world, waId).at(-1)).toContain('outside the configured hours of operation');
  });

  it('calls within the hours of operation', async () => {
    // Prepare: open all day, every day, in another time zone.
    const days = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
    world = await startWorld(businessNumbers(callbackSettings({ hoursOfOperationId: HOURS_ID })), {
      hoursOfOperation: {
        [HOURS_ID]: {
          TimeZone: 'America/Sao_Paulo',
          Config: days.map((day) => ({
            Day: day,
            StartTime: { Hours: 0, Minutes: 0 },
            EndTime: { Hours: 0, Minutes: 0 },
          })),
        },
      },
    });
    const waId = newCustomer();

    // Act
    await world.env.handler(sqsEvent(customerText('call me', { waId }).record));

    // Assess
    expect(callsTo(world, waId)).toHaveLength(1);
  });

  it.each([
    [
      'the destination country is not allowed',
      new DestinationNotAllowedException({ message: 'Outbound calls to +44 are not allowed', $metadata: {} }),
      "Connect does not allow calls to the customer's country or number",
    ],
    [
      'the outbound call quota is reached',
      new LimitExceededException({ message: 'Limit exceeded', $metadata: { httpStatusCode: 429 } }),
      "Connect's outbound call quota was reached",
    ],
  ])('tells both sides when %s, and dead-letters nothing', async (_case, refusal, agentReason) => {
    // Prepare
    world = await startWorld(businessNumbers(callbackSettings()), { refuseOutboundCall: () => refusal });
    const waId = newCustomer();

    // Act
    const response = await world.env.handler(sqsEvent(customerText('call me', { waId }).record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(world.env.sqs.calls()).toHaveLength(0);
    expect(world.env.connect.outboundCalls).toEqual([]);
    expect(repliesTo(world, `+${waId}`)).toEqual([
      "We can't place a call right now. An agent will reply here.",
    ]);
    expect(agentTranscript(world, waId).at(-1)).toContain(agentReason);
    expect(world.output.metric('CallbacksRefused')).toBe(1);
  });
});

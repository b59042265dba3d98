import { describe, expect, it } from 'vitest';
import { replyTextsFor } from '../../shared/domain/callback-messages.js';
import { callbackPhrases, callbackTriggerIn } from '../../shared/domain/callback-request.js';
import type { Conversation, ConversationKey } from '../../shared/domain/conversation.js';
import { isOpenAt, type WeeklyHours } from '../../shared/domain/hours-of-operation.js';
import type {
  CallbackClaim,
  CallbackClaimRequest,
  CallbackLog,
  CallbackResult,
} from '../../shared/ports/callback-log.js';
import {
  OutboundCallNotPlacedError,
  type OutboundCallRequest,
  OutboundCallUnconfirmedError,
} from '../../shared/ports/outbound-calls.js';
import { callbackPlanOf } from '../../shared/use-cases/callback-plan.js';
import { RequestCallback } from '../../shared/use-cases/request-callback.js';
import { activeConversation, CONVERSATION_KEY } from '../support/conversation-builders.js';
import { ManualClock } from '../support/fakes/clock.js';
import { InMemoryCustomerKeys } from '../support/fakes/customer-keys.js';
import { RecordingTelemetry } from '../support/fakes/telemetry.js';
import { customerMessage, customerText } from '../support/inbound-messages.js';

describe('what counts as asking for a call', () => {
  const defaults = callbackPhrases();

  it.each([
    [{ kind: 'button', text: 'Call me' } as const, 'en'],
    [{ kind: 'choice', id: 'opt-2', title: 'Llámame' } as const, 'es'],
  ])('a "Call me" button or list reply counts (%j)', (content, language) => {
    // Act
    const trigger = callbackTriggerIn(customerMessage({ id: 'wamid.1', at: 0, content }), defaults);

    // Assess
    expect(trigger?.language).toBe(language);
  });

  it('a photo captioned "call me" does not count: only texts and replies do', () => {
    // Prepare
    const photo = customerMessage({
      id: 'wamid.2',
      at: 0,
      content: {
        kind: 'media',
        mediaKind: 'image',
        mediaId: 'm',
        mimeType: 'image/jpeg',
        caption: 'call me',
      },
    });

    // Act
    const trigger = callbackTriggerIn(photo, defaults);

    // Assess
    expect(trigger).toBeUndefined();
  });

  it("a number's own phrases replace the built-in ones, in their own language", () => {
    // Prepare
    const german = callbackPhrases({ de: ['ruf mich an'] }, ['bitte']);

    // Act
    const asked = callbackTriggerIn(customerText('wamid.3', 'Bitte ruf mich an!', 0), german);
    const english = callbackTriggerIn(customerText('wamid.4', 'call me', 0), german);

    // Assess
    expect(asked).toEqual({ language: 'de', phrase: 'ruf mich an' });
    expect(english).toBeUndefined();
  });
});

describe('the reply texts for a language', () => {
  it("uses the base language for a regional tag, English when there is none, and the number's own texts first", () => {
    // Act
    const brazilian = replyTextsFor('pt-BR');
    const german = replyTextsFor('de', { de: { calling: 'Wir rufen Sie von {number} an.' } });

    // Assess
    expect(brazilian.calling).toContain('Estamos te ligando');
    expect(german.calling).toBe('Wir rufen Sie von {number} an.');
    expect(german.unavailable).toBe("We can't place a call right now. An agent will reply here.");
  });
});

describe('hours of operation', () => {
  // Monday 2 June 2025.
  const monday = (hour: number, minute = 0) => Date.UTC(2025, 5, 2, hour, minute);

  it('keeps a slice that ends after midnight open into the next morning', () => {
    // Prepare
    const lateShift: WeeklyHours = {
      timeZone: 'UTC',
      slices: [{ day: 'MONDAY', startMinute: 22 * 60, endMinute: 2 * 60 }],
    };

    // Act
    const open = [monday(21, 59), monday(23), monday(24 + 1, 30), monday(24 + 2)].map((at) =>
      isOpenAt(lateShift, at),
    );

    // Assess
    expect(open).toEqual([false, true, true, false]);
  });

  it("reads the slices in the hours' own time zone", () => {
    // Prepare: 09:00–17:00 in São Paulo (UTC−3).
    const saoPaulo: WeeklyHours = {
      timeZone: 'America/Sao_Paulo',
      slices: [{ day: 'MONDAY', startMinute: 9 * 60, endMinute: 17 * 60 }],
    };

    // Act
    const open = [monday(11, 59), monday(12), monday(19, 59), monday(20)].map((at) => isOpenAt(saoPaulo, at));

    // Assess
    expect(open).toEqual([false, true, true, false]);
  });
});

/** The conditional record, as dynamodb-callbacks.ts keeps it, in memory. */
class InMemoryCallbackLog implements CallbackLog {
  record: { id: string; at: number; state: string; contactId?: string } | undefined;
  async claim(_key: ConversationKey, request: CallbackClaimRequest): Promise<CallbackClaim> {
    const current = this.record;
    const mine = current?.id === request.whatsAppMessageId;
    const free =
      !current ||
      (mine && current.state === 'requested') ||
      (!mine && (current.state === 'not-placed' || current.at <= request.now - request.cooldownMs));
    if (free) {
      this.record = { id: request.whatsAppMessageId, at: request.now, state: 'requested' };
      return { kind: 'claimed' };
    }
    if (mine)
      return current.state === 'dialling'
        ? { kind: 'interrupted', since: current.at }
        : { kind: 'already-handled' };
    return { kind: 'cooling-down', since: current?.at ?? request.now };
  }
  async markDialling(_key: ConversationKey, id: string) {
    if (this.record?.id === id && this.record.state === 'requested') this.record.state = 'dialling';
  }
  async releaseDialling(_key: ConversationKey, id: string) {
    if (this.record?.id === id && this.record.state === 'dialling') this.record.state = 'requested';
  }
  async finish(_key: ConversationKey, id: string, result: CallbackResult) {
    if (this.record?.id === id) this.record.state = result.state;
  }
}

function callbackWorld(
  conversation: Conversation,
  calls: (request: OutboundCallRequest) => Promise<{ contactId: string }>,
) {
  const clock = new ManualClock();
  const callbacks = new InMemoryCallbackLog();
  const placed: OutboundCallRequest[] = [];
  const replies: unknown[] = [];
  const notices: string[] = [];
  const useCase = new RequestCallback({
    keys: new InMemoryCustomerKeys(),
    conversations: { refresh: async () => conversation },
    callbacks,
    calls: {
      startCall: async (request) => {
        placed.push(request);
        return calls(request);
      },
    },
    hours: { weeklyHours: async () => ({ timeZone: 'UTC', slices: [] }) },
    chat: {
      sendMessage: async ({ content }) => {
        notices.push(content);
        return { messageId: `notice-${notices.length}` };
      },
    },
    connection: { run: (_conversation, action) => action('connection-token') },
    whatsApp: {
      send: async (_from, payload) => {
        replies.push(payload);
        return { messageId: `eum-${replies.length}` };
      },
    },
    telemetry: new RecordingTelemetry(),
    planFor: () =>
      callbackPlanOf({
        enabled: true,
        outboundFlowId: 'flow-out',
        sourcePhoneNumber: '+15550100100',
        cooldownMinutes: 10,
      }),
    now: clock.now,
  });
  return { useCase, callbacks, placed, replies, notices };
}

describe('placing the call', () => {
  it('names the agent who last joined the chat as the preferred agent, so the flow can route to them', async () => {
    // Prepare
    const conversation: Conversation = {
      ...activeConversation({ contactId: 'chat-7', expiresAt: Date.UTC(2026, 0, 1) }),
      lastAgent: { agentId: 'agent-maria', contactId: 'chat-7', at: Date.UTC(2025, 5, 2, 8, 55) },
    };
    const world = callbackWorld(conversation, async () => ({ contactId: 'voice-1' }));

    // Act
    await world.useCase.execute(customerText('wamid.call', 'call me', Date.UTC(2025, 5, 2, 9)));

    // Assess
    expect(world.placed[0]?.attributes).toMatchObject({
      preferredAgentId: 'agent-maria',
      whatsAppContactId: 'chat-7',
      conversationKey: `${CONVERSATION_KEY.businessPhoneNumberId}#${CONVERSATION_KEY.customerId}`,
    });
  });

  it('dials on the retry after a call that certainly never reached Connect (throttled)', async () => {
    // Prepare
    let attempts = 0;
    const world = callbackWorld(activeConversation({ expiresAt: Date.UTC(2026, 0, 1) }), async () => {
      attempts += 1;
      if (attempts === 1)
        throw new OutboundCallNotPlacedError('throttled', 'StartOutboundVoiceContact:Throttling');
      return { contactId: 'voice-2' };
    });
    const message = customerText('wamid.throttled', 'call me', Date.UTC(2025, 5, 2, 9));

    // Act
    const first = world.useCase.execute(message);
    await expect(first).rejects.toBeInstanceOf(OutboundCallNotPlacedError);
    const retry = await world.useCase.execute(message, 'duplicate');

    // Assess
    expect(retry).toEqual({
      kind: 'started',
      contactId: 'voice-2',
      destination: `+${CONVERSATION_KEY.customerId}`,
    });
    expect(world.placed).toHaveLength(2);
    expect(world.placed[0]?.clientToken).toBe(world.placed[1]?.clientToken);
  });

  it('never dials again after Connect may have placed the call, and tells only the agent', async () => {
    // Prepare
    const world = callbackWorld(activeConversation({ expiresAt: Date.UTC(2026, 0, 1) }), async () => {
      throw new OutboundCallUnconfirmedError('TimeoutError');
    });
    const message = customerText('wamid.timeout', 'call me', Date.UTC(2025, 5, 2, 9));

    // Act
    const first = await world.useCase.execute(message);
    const again = await world.useCase.execute(message, 'duplicate');

    // Assess
    expect(first).toEqual({ kind: 'unconfirmed', detail: 'TimeoutError' });
    expect(again).toEqual({ kind: 'already-handled' });
    expect(world.placed).toHaveLength(1);
    expect(world.replies).toEqual([]);
    expect(world.notices).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import {
  activated,
  chatEnded,
  contactCreated,
  decideChatStart,
  type StartDraft,
  type StartRequest,
  startAbandoned,
  startRevised,
} from '../../shared/domain/chat-lifecycle.js';
import type {
  Chat,
  Conversation,
  ConversationIn,
  EndedChat,
  PendingChatStart,
} from '../../shared/domain/conversation.js';

const KEY = { businessPhoneNumberId: 'phone-number-id-abc', customerId: '447700900001' };
const NOW = Date.UTC(2025, 5, 2, 9, 0, 0);
const LIMITS = { leaseMs: 40_000, maxAttempts: 5, maxAgeMs: 600_000 };
const ENDED: EndedChat = { state: 'ended', contactId: 'contact-yesterday', endedAt: NOW - 86_400_000 };

function conversation<State extends Chat['state']>(chat: Extract<Chat, { state: State }>, version = 4) {
  return { key: KEY, version, chat, customer: {} } as ConversationIn<State>;
}

/** The start an earlier message claimed: its token, its text, yesterday's flow. */
function pending(overrides: Partial<PendingChatStart> = {}): PendingChatStart {
  return {
    clientToken: 'token-of-first-message',
    starterMessageId: 'wamid.first',
    initialMessage: 'Hello, my parcel is late',
    displayName: 'Ana',
    contactFlowId: 'flow-yesterday',
    attributes: { channel: 'WhatsApp', customerId: KEY.customerId },
    claimedAt: NOW - 60_000,
    attempts: 1,
    ...overrides,
  };
}

/** The current message asks, with today's flow. */
function request(overrides: Partial<StartRequest> = {}): StartRequest {
  return {
    owner: 'wamid.current',
    now: NOW,
    limits: LIMITS,
    draft: (source): StartDraft => ({
      clientToken: `token-of-current-message-from-${source?.contactId ?? 'new'}`,
      starterMessageId: 'wamid.current',
      initialMessage: 'Is anyone there?',
      displayName: 'Ana',
      contactFlowId: 'flow-today',
      attributes: { channel: 'WhatsApp', customerId: KEY.customerId, initiatingAgentId: 'agent-7' },
      ...(source ? { persistentSource: source } : {}),
    }),
    config: () => ({ contactFlowId: 'flow-today', attributes: { channel: 'WhatsApp', fresh: 'yes' } }),
    ...overrides,
  };
}

const starting = (start: PendingChatStart, lease = { owner: 'wamid.first', until: NOW - 1 }) =>
  conversation<'starting'>({ state: 'starting', lease, start });

const created = (start: PendingChatStart, lease = { owner: 'wamid.first', until: NOW - 1 }) =>
  conversation<'created'>({
    state: 'created',
    lease,
    start,
    contactId: 'contact-new',
    participantToken: 'participant-new',
  });

const active = (contactId = 'contact-new') =>
  conversation<'active'>({
    state: 'active',
    contactId,
    participantToken: 'participant-new',
    connection: { connectionToken: 'connection-1', expiresAt: NOW + 86_400_000 },
    initialMessageId: 'wamid.first',
  });

describe('deciding who starts a chat', () => {
  it('sends into a chat that is already running', () => {
    // Prepare
    const running = active();
    // Act
    const decision = decideChatStart(running, request());
    // Assess
    expect(decision).toEqual({ kind: 'running', conversation: running });
  });

  it("claims a first chat for a customer who never wrote, with the current message's text and a lease", () => {
    // Prepare
    const fresh: Conversation = { key: KEY, version: 0, chat: { state: 'none' }, customer: {} };
    // Act
    const decision = decideChatStart(fresh, request());
    // Assess
    expect(decision).toEqual({
      kind: 'claim',
      takeover: false,
      next: {
        ...fresh,
        version: 1,
        chat: {
          state: 'starting',
          lease: { owner: 'wamid.current', until: NOW + LIMITS.leaseMs },
          start: { ...request().draft(undefined), claimedAt: NOW, attempts: 1 },
        },
      },
    });
  });

  it('claims a persistent chat from the ended one when the customer writes again', () => {
    // Act
    const decision = decideChatStart(conversation<'ended'>(ENDED), request());
    // Assess
    expect(decision.kind).toBe('claim');
    if (decision.kind !== 'claim') return;
    expect(decision.takeover).toBe(false);
    expect(decision.next.chat.start.persistentSource).toEqual(ENDED);
    expect(decision.next.chat.start.clientToken).toBe('token-of-current-message-from-contact-yesterday');
  });

  it("waits while another invocation's lease on the start is still running", () => {
    // Prepare
    const held = starting(pending(), { owner: 'wamid.first', until: NOW + 5_000 });
    // Act
    const decision = decideChatStart(held, request());
    // Assess
    expect(decision).toEqual({ kind: 'wait', leaseUntil: NOW + 5_000 });
  });

  it('waits too while another invocation is connecting a contact Connect already created', () => {
    // Act
    const decision = decideChatStart(created(pending(), { owner: 'wamid.first', until: NOW + 1 }), request());
    // Assess
    expect(decision).toEqual({ kind: 'wait', leaseUntil: NOW + 1 });
  });

  it("takes over a stalled start with the same ClientToken and text, but today's flow and attributes", () => {
    // Prepare
    const stalled = starting(pending({ attempts: 2 }));
    // Act
    const decision = decideChatStart(stalled, request());
    // Assess
    expect(decision).toEqual({
      kind: 'claim',
      takeover: true,
      next: {
        ...stalled,
        version: 5,
        chat: {
          state: 'starting',
          lease: { owner: 'wamid.current', until: NOW + LIMITS.leaseMs },
          start: {
            ...pending({ attempts: 3 }),
            contactFlowId: 'flow-today',
            attributes: { channel: 'WhatsApp', fresh: 'yes' },
          },
        },
      },
    });
  });

  it('lets the redelivered starter message continue its own start before its lease runs out', () => {
    // Prepare
    const own = starting(pending(), { owner: 'wamid.current', until: NOW + 30_000 });
    // Act
    const decision = decideChatStart(own, request());
    // Assess
    expect(decision.kind).toBe('claim');
    if (decision.kind === 'claim')
      expect(decision.next.chat.start.clientToken).toBe('token-of-first-message');
  });

  it('re-derives a start from the current message once it has been claimed too often', () => {
    // Prepare
    const exhausted = starting(pending({ attempts: LIMITS.maxAttempts }));
    // Act
    const decision = decideChatStart(exhausted, request());
    // Assess
    expect(decision).toMatchObject({
      kind: 'claim',
      takeover: false,
      next: { chat: { start: { ...request().draft(undefined), claimedAt: NOW, attempts: 1 } } },
    });
  });

  it('re-derives a start from the current message once it is too old, keeping the chat to rehydrate', () => {
    // Prepare
    const old = starting(pending({ claimedAt: NOW - LIMITS.maxAgeMs - 1, persistentSource: ENDED }));
    // Act
    const decision = decideChatStart(old, request());
    // Assess
    expect(decision.kind).toBe('claim');
    if (decision.kind !== 'claim') return;
    expect(decision.takeover).toBe(false);
    expect(decision.next.chat.start).toEqual({
      ...request().draft(ENDED),
      claimedAt: NOW,
      attempts: 1,
    });
  });

  it('replays a start exactly at its age limit rather than re-deriving it', () => {
    // Prepare
    const atLimit = starting(pending({ claimedAt: NOW - LIMITS.maxAgeMs }));
    // Act
    const decision = decideChatStart(atLimit, request());
    // Assess
    expect(decision).toMatchObject({ kind: 'claim', takeover: true });
  });

  it('takes over a created contact without re-deriving it, however often it was claimed', () => {
    // Prepare
    const stalled = created(pending({ attempts: LIMITS.maxAttempts + 3 }));
    // Act
    const decision = decideChatStart(stalled, request());
    // Assess
    expect(decision).toEqual({
      kind: 'claim',
      takeover: true,
      next: {
        ...stalled,
        version: 5,
        chat: {
          ...stalled.chat,
          lease: { owner: 'wamid.current', until: NOW + LIMITS.leaseMs },
          start: pending({ attempts: LIMITS.maxAttempts + 4 }),
        },
      },
    });
  });
});

describe('moving a start forward', () => {
  it('records the contact Connect created, keeping the lease and the start', () => {
    // Prepare
    const claimed = starting(pending(), { owner: 'wamid.first', until: NOW + 40_000 });
    // Act
    const next = contactCreated(claimed, { contactId: 'contact-new', participantToken: 'participant-new' });
    // Assess
    expect(next.chat).toEqual(created(pending(), { owner: 'wamid.first', until: NOW + 40_000 }).chat);
    expect(next.version).toBe(claimed.version + 1);
  });

  it('activates the chat with the connection, remembering whose text went in as the InitialMessage', () => {
    // Prepare
    const connection = { connectionToken: 'connection-9', expiresAt: NOW + 3_600_000 };
    // Act
    const next = activated(created(pending()), connection);
    // Assess
    expect(next.version).toBe(5);
    expect(next.chat).toEqual({
      state: 'active',
      contactId: 'contact-new',
      participantToken: 'participant-new',
      connection,
      initialMessageId: 'wamid.first',
    });
  });

  it('carries "history not attached" into the running chat so the agent can be told', () => {
    // Act
    const next = activated(created(pending({ historyNotAttached: true })), {
      connectionToken: 'c',
      expiresAt: NOW,
    });
    // Assess
    expect(next.chat.historyNotAttached).toBe(true);
  });

  it('revises the pending start in place and keeps the lease', () => {
    // Prepare
    const claimed = starting(pending());
    const revised = pending({ rehydrationRefusedAt: NOW });
    // Act
    const next = startRevised(claimed, revised);
    // Assess
    expect(next).toEqual({ ...claimed, version: 5, chat: { ...claimed.chat, start: revised } });
  });
});

describe('giving a refused start back', () => {
  it('goes back to no chat, so the next message starts afresh with that day’s flow', () => {
    // Act
    const next = startAbandoned(starting(pending()));
    // Assess
    expect(next.chat).toEqual({ state: 'none' });
    expect(next.version).toBe(5);
  });

  it('goes back to the ended chat when the refused start was rehydrating it', () => {
    // Act
    const next = startAbandoned(starting(pending({ persistentSource: ENDED })));
    // Assess
    expect(next.chat).toEqual(ENDED);
  });
});

describe('ending a chat', () => {
  it('ends the running chat of that contact', () => {
    // Act
    const next = chatEnded(active('contact-new'), 'contact-new', NOW);
    // Assess
    expect(next).toEqual({
      key: KEY,
      version: 5,
      customer: {},
      chat: { state: 'ended', contactId: 'contact-new', endedAt: NOW },
    });
  });

  it('ends a contact that was created but never connected (a re-issued start returned an ended chat)', () => {
    // Act
    const next = chatEnded(created(pending()), 'contact-new', NOW);
    // Assess
    expect(next?.chat).toEqual({ state: 'ended', contactId: 'contact-new', endedAt: NOW });
  });

  it.each([
    ['a running chat with another contact', active('contact-today')],
    ['a start still being claimed', starting(pending())],
    ['a chat that has already ended', conversation<'ended'>({ ...ENDED, contactId: 'contact-new' })],
    ['no chat at all', conversation<'none'>({ state: 'none' })],
  ])('refuses a late end of contact-new when the conversation holds %s', (_, current) => {
    // Act
    const next = chatEnded(current, 'contact-new', NOW);
    // Assess
    expect(next).toBeUndefined();
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationTable } from '../../shared/adapters/dynamodb/conversation-table.js';
import { DynamoDbAgentAssignments } from '../../shared/adapters/dynamodb/dynamodb-agent-assignments.js';
import { DynamoDbConversations } from '../../shared/adapters/dynamodb/dynamodb-conversations.js';
import { activeConversation, CONVERSATION_KEY as KEY } from '../support/conversation-builders.js';
import { type DynamoDbEmulator, startDynamoDbEmulator } from '../support/dynamodb-emulator.js';

const TABLE = 'relay-conversations';
const FIRST_AGENT = '7d3c2b1a-1111-2222-3333-444455556666';
const SECOND_AGENT = '9e8d7c6b-aaaa-bbbb-cccc-ddddeeeeffff';

describe('the last agent on the conversation item', () => {
  let emulator: DynamoDbEmulator;
  let conversations: DynamoDbConversations;
  let assignments: DynamoDbAgentAssignments;

  beforeEach(async () => {
    emulator = await startDynamoDbEmulator();
    await emulator.createTable(TABLE);
    const table = new ConversationTable(emulator.client, {
      tableName: TABLE,
      conversationTtlDays: 30,
      ledgerTtlDays: 8,
      now: Date.now,
    });
    conversations = new DynamoDbConversations(table);
    assignments = new DynamoDbAgentAssignments(table);
  });

  afterEach(async () => {
    await emulator.stop();
  });

  it('keeps the newer agent when an older join is written after it (a relay holding a stale copy)', async () => {
    // Prepare
    await conversations.save(activeConversation({ expiresAt: Date.now() + 3_600_000 }), 0);
    await assignments.recordLastAgent(KEY, { agentId: SECOND_AGENT, contactId: 'contact-today', at: 2_000 });

    // Act
    const older = await assignments.recordLastAgent(KEY, {
      agentId: FIRST_AGENT,
      contactId: 'contact-yesterday',
      at: 1_000,
    });

    // Assess
    expect(older).toBe(false);
    expect((await conversations.refresh(KEY))?.lastAgent).toEqual({
      agentId: SECOND_AGENT,
      contactId: 'contact-today',
      at: 2_000,
    });
  });

  it('replaces the last agent with a later join, leaving the chat and its version alone', async () => {
    // Prepare
    await conversations.save(activeConversation({ expiresAt: Date.now() + 3_600_000 }), 0);
    const before = await conversations.refresh(KEY);
    await assignments.recordLastAgent(KEY, { agentId: FIRST_AGENT, contactId: 'contact-a', at: 1_000 });

    // Act
    const later = await assignments.recordLastAgent(KEY, {
      agentId: SECOND_AGENT,
      contactId: 'contact-b',
      at: 3_000,
    });

    // Assess
    const after = await conversations.refresh(KEY);
    expect(later).toBe(true);
    expect(after?.lastAgent?.agentId).toBe(SECOND_AGENT);
    expect(after?.chat).toEqual(before?.chat);
    expect(after?.version).toBe(before?.version);
  });

  it('creates no conversation for a key the table does not hold', async () => {
    // Act
    const recorded = await assignments.recordLastAgent(KEY, { agentId: FIRST_AGENT, contactId: 'c', at: 1 });

    // Assess
    expect(recorded).toBe(false);
    expect(await conversations.refresh(KEY)).toBeUndefined();
  });
});

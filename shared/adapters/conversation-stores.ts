import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CachingConversationStore } from './caching-conversation-store.js';
import { DynamoDbConversationStore } from './dynamodb-conversation-store.js';

/** How long, and how many, active chats a container keeps in memory. */
const CACHE = { ttlMs: 5 * 60_000, maxEntries: 5_000 } as const;

/**
 * The conversation table for a relay function: `table` for the ledgers (always read through), and
 * `store`, the same table behind the per-container cache of active chats.
 */
export function conversationStores(
  dynamo: DynamoDBClient,
  config: { CONVERSATION_TABLE_NAME: string; CONVERSATION_TTL_DAYS: number; LEDGER_TTL_DAYS: number },
) {
  const table = new DynamoDbConversationStore(dynamo, {
    tableName: config.CONVERSATION_TABLE_NAME,
    conversationTtlDays: config.CONVERSATION_TTL_DAYS,
    ledgerTtlDays: config.LEDGER_TTL_DAYS,
    now: Date.now,
  });
  // Active chats stay in memory between invocations: a warm container sends without reading first.
  const store = new CachingConversationStore(table, { ...CACHE, now: Date.now });
  return { table, store };
}

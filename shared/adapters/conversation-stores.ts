import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CachingConversationStore } from './caching-conversation-store.js';
import { ConversationTable } from './dynamodb/conversation-table.js';
import { DynamoDbAgentAssignments } from './dynamodb/dynamodb-agent-assignments.js';
import { DynamoDbAgentInitiations } from './dynamodb/dynamodb-agent-initiations.js';
import { DynamoDbCallbacks } from './dynamodb/dynamodb-callbacks.js';
import { DynamoDbConversations } from './dynamodb/dynamodb-conversations.js';
import { DynamoDbCustomerActivity } from './dynamodb/dynamodb-customer-activity.js';
import { DynamoDbCustomerKeys } from './dynamodb/dynamodb-customer-keys.js';
import { DynamoDbInboundLedger } from './dynamodb/dynamodb-inbound-ledger.js';
import { DynamoDbMarketingPreferences } from './dynamodb/dynamodb-marketing-preferences.js';
import { DynamoDbSendClaims } from './dynamodb/dynamodb-send-claims.js';
import { DynamoDbTranscriptJobs } from './dynamodb/dynamodb-transcript-jobs.js';

/** How long, and how many, active chats a container keeps in memory. */
const CACHE = { ttlMs: 5 * 60_000, maxEntries: 5_000 } as const;

export interface ConversationTableConfig {
  readonly CONVERSATION_TABLE_NAME: string;
  readonly CONVERSATION_TTL_DAYS: number;
  readonly LEDGER_TTL_DAYS: number;
}

/**
 * The relay table's adapters, one per concern, for a relay function. `conversations` is the
 * per-container cache of active chats in front of the conversations, their contact lookups and
 * the customer's activity; the ledgers are always read through.
 */
export function conversationStores(
  dynamo: DynamoDBClient,
  config: ConversationTableConfig,
  now: () => number = Date.now,
) {
  const table = new ConversationTable(dynamo, {
    tableName: config.CONVERSATION_TABLE_NAME,
    conversationTtlDays: config.CONVERSATION_TTL_DAYS,
    ledgerTtlDays: config.LEDGER_TTL_DAYS,
    now,
  });
  const conversations = new DynamoDbConversations(table);
  const activity = new DynamoDbCustomerActivity(table);
  const backing = {
    get: conversations.get.bind(conversations),
    getCached: conversations.getCached.bind(conversations),
    refresh: conversations.refresh.bind(conversations),
    save: conversations.save.bind(conversations),
    updateConnection: conversations.updateConnection.bind(conversations),
    recordContact: conversations.recordContact.bind(conversations),
    findByContactId: conversations.findByContactId.bind(conversations),
    recordCustomerActivity: activity.recordCustomerActivity.bind(activity),
    recordTypingSent: activity.recordTypingSent.bind(activity),
    recordReadMarked: activity.recordReadMarked.bind(activity),
  };
  return {
    conversations: new CachingConversationStore(backing, { ...CACHE, now }),
    inboundLedger: new DynamoDbInboundLedger(table),
    sendClaims: new DynamoDbSendClaims(table),
    initiations: new DynamoDbAgentInitiations(table),
    assignments: new DynamoDbAgentAssignments(table),
    customerKeys: new DynamoDbCustomerKeys(table),
    marketing: new DynamoDbMarketingPreferences(table),
    callbacks: new DynamoDbCallbacks(table),
    transcriptJobs: new DynamoDbTranscriptJobs(table),
  };
}

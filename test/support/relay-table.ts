import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConversationTable } from '../../shared/adapters/dynamodb/conversation-table.js';
import { DynamoDbAgentInitiations } from '../../shared/adapters/dynamodb/dynamodb-agent-initiations.js';
import { DynamoDbConversations } from '../../shared/adapters/dynamodb/dynamodb-conversations.js';
import { DynamoDbInboundLedger } from '../../shared/adapters/dynamodb/dynamodb-inbound-ledger.js';
import { DynamoDbSendClaims } from '../../shared/adapters/dynamodb/dynamodb-send-claims.js';

/**
 * The relay table as a test reads and prepares it: the real adapters (no cache), so a test sees
 * exactly what a fresh container would.
 */
export function relayTable(client: DynamoDBClient, tableName: string, now: () => number = () => Date.now()) {
  const table = new ConversationTable(client, { tableName, conversationTtlDays: 30, ledgerTtlDays: 8, now });
  const conversations = new DynamoDbConversations(table);
  const ledger = new DynamoDbInboundLedger(table);
  const claims = new DynamoDbSendClaims(table);
  const initiations = new DynamoDbAgentInitiations(table);
  return {
    get: conversations.refresh.bind(conversations),
    save: conversations.save.bind(conversations),
    updateConnection: conversations.updateConnection.bind(conversations),
    findByContactId: conversations.findByContactId.bind(conversations),
    findInbound: ledger.findInbound.bind(ledger),
    findInboundByConnectMessageId: ledger.findInboundByConnectMessageId.bind(ledger),
    findSent: claims.findSent.bind(claims),
    recordAgentInitiation: initiations.recordAgentInitiation.bind(initiations),
  };
}

export type RelayTable = ReturnType<typeof relayTable>;

import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type ConversationKey, conversationKeyString } from '../../domain/conversation.js';
import { RetryableError } from '../../domain/errors.js';
import { type Item, s, ttlSeconds } from '../dynamodb-attributes.js';

export interface ConversationTableOptions {
  readonly tableName: string;
  /** How long an idle conversation (and its contact lookups and aliases) is kept. */
  readonly conversationTtlDays: number;
  /** How long relay records are kept; longer than Meta's 7-day webhook retry so late duplicates are caught. */
  readonly ledgerTtlDays: number;
  readonly now: () => number;
}

/** The item keys of the one relay table, one prefix per concern. */
export const keys = {
  conversation: (key: ConversationKey) => `conversation#${conversationKeyString(key)}`,
  contact: (contactId: string) => `contact#${contactId}`,
  inbound: (whatsAppMessageId: string) => `inbound#${whatsAppMessageId}`,
  connectMessage: (connectMessageId: string) => `connect-message#${connectMessageId}`,
  sendClaim: (sendId: string) => `send#${sendId}`,
  whatsAppSent: (whatsAppMessageId: string) => `whatsapp-sent#${whatsAppMessageId}`,
  transcriptJob: (jobName: string) => `transcript-job#${jobName}`,
  customerAlias: (businessPhoneNumberId: string, customerId: string) =>
    `customer-alias#${businessPhoneNumberId}#${customerId}`,
} as const;

export interface UpdateRequest {
  readonly update: string;
  readonly condition?: string;
  readonly names?: Record<string, string>;
  readonly values?: Item;
}

/**
 * The relay's single DynamoDB table, keyed by `pk`: strongly consistent reads, conditional writes
 * that report a failed condition as `false`, batched puts, and the two TTLs. Every store adapter
 * (conversations, activity, ledgers, claims, initiations, aliases) is built on this one module.
 */
export class ConversationTable {
  constructor(
    private readonly client: DynamoDBClient,
    readonly options: ConversationTableOptions,
  ) {}

  now(): number {
    return this.options.now();
  }

  /** Epoch seconds at which an idle conversation's items expire. */
  conversationExpiry(): number {
    return ttlSeconds(this.options.now(), this.options.conversationTtlDays);
  }

  /** Epoch seconds at which a relay record expires. */
  ledgerExpiry(): number {
    return ttlSeconds(this.options.now(), this.options.ledgerTtlDays);
  }

  async get(pk: string): Promise<Item | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: { pk: s(pk) }, ConsistentRead: true }),
    );
    return result.Item;
  }

  /** An UpdateItem; false when its condition failed. */
  async update(pk: string, request: UpdateRequest): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: { pk: s(pk) },
          UpdateExpression: request.update,
          ...(request.condition ? { ConditionExpression: request.condition } : {}),
          ...(request.names && Object.keys(request.names).length > 0
            ? { ExpressionAttributeNames: request.names }
            : {}),
          ...(request.values && Object.keys(request.values).length > 0
            ? { ExpressionAttributeValues: request.values }
            : {}),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** A PutItem; false when its condition failed. */
  async put(item: Item, condition?: { expression: string; values?: Item }): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: item,
          ...(condition ? { ConditionExpression: condition.expression } : {}),
          ...(condition?.values ? { ExpressionAttributeValues: condition.values } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Writes items in as few requests as DynamoDB allows (25 per BatchWriteItem): one round trip
   * for the usual one or two items. Unprocessed items (throttling) are retried with backoff.
   */
  async batchPut(items: readonly Item[]): Promise<void> {
    const table = this.options.tableName;
    for (let offset = 0; offset < items.length; offset += 25) {
      let requests = items.slice(offset, offset + 25).map((item) => ({ PutRequest: { Item: item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        if (attempt >= 6)
          throw new RetryableError('DynamoDB left items unprocessed', 'BatchWriteUnprocessed');
        const result = await this.client.send(
          new BatchWriteItemCommand({ RequestItems: { [table]: requests } }),
        );
        requests = (result.UnprocessedItems?.[table] ?? []).flatMap((request) =>
          request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
        );
      }
    }
  }
}

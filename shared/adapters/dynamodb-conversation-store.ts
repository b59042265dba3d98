import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AgentInitiation } from '../domain/agent-initiation.js';
import {
  type ConnectionCredentials,
  type Conversation,
  type ConversationKey,
  type ConversationState,
  conversationKeyString,
  type PendingChatStart,
} from '../domain/conversation.js';
import { RetryableError } from '../domain/errors.js';
import type { ConversationStore, CustomerActivity, CustomerDetails } from '../ports/conversation-store.js';
import type { OutboundLedger, OutboundSendRecord, SendClaim } from '../ports/outbound-ledger.js';
import type { InboundRelayRecord, RelayLedger } from '../ports/relay-ledger.js';
import { type Item, n, num, s, ss, str, strList, ttlSeconds } from './dynamodb-attributes.js';

export interface DynamoDbStoreOptions {
  readonly tableName: string;
  /** How long an idle conversation (and its contact lookups) is kept. */
  readonly conversationTtlDays: number;
  /** How long relay records are kept; longer than Meta's 7-day webhook retry so late duplicates are caught. */
  readonly ledgerTtlDays: number;
  readonly now: () => number;
}

const conversationPk = (key: ConversationKey) => `conversation#${conversationKeyString(key)}`;
const contactPk = (contactId: string) => `contact#${contactId}`;
const inboundPk = (whatsAppMessageId: string) => `inbound#${whatsAppMessageId}`;
const connectMessagePk = (connectMessageId: string) => `connect-message#${connectMessageId}`;
const sendClaimPk = (sendId: string) => `send#${sendId}`;
const whatsAppSentPk = (whatsAppMessageId: string) => `whatsapp-sent#${whatsAppMessageId}`;

/**
 * Conversations, contact lookups and the relay ledger in one table keyed by `pk`.
 * All reads are strongly consistent (the outbound side needs a contact seconds after it starts),
 * and every state change is a conditional write against what the caller observed.
 */
export class DynamoDbConversationStore implements ConversationStore, RelayLedger, OutboundLedger {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly options: DynamoDbStoreOptions,
  ) {}

  getCached(): Conversation | undefined {
    return undefined;
  }

  refresh(key: ConversationKey): Promise<Conversation | undefined> {
    return this.get(key);
  }

  async get(key: ConversationKey): Promise<Conversation | undefined> {
    const item = await this.getItem(conversationPk(key));
    return item ? toConversation(item) : undefined;
  }

  async claimChatStart(
    key: ConversationKey,
    observed: Conversation | undefined,
    claim: {
      owner: string;
      leaseUntil: number;
      pendingStart: PendingChatStart;
      customer: CustomerDetails;
      now: number;
    },
  ): Promise<Conversation | undefined> {
    const names: Record<string, string> = { '#state': 'state' };
    const values: Item = {
      ':starting': s('starting'),
      ':owner': s(claim.owner),
      ':until': n(claim.leaseUntil),
      ':updatedAt': n(claim.now),
      ':expiresAt': n(this.conversationExpiry()),
    };
    let condition: string;
    let update: string;

    if (observed?.state === 'starting') {
      // Takeover: keep the pending start so the identical request is re-issued.
      condition =
        '#state = :starting AND leaseOwner = :observedOwner AND (leaseUntil < :now OR leaseOwner = :owner)';
      values[':observedOwner'] = s(observed.startLease?.owner ?? '');
      values[':now'] = n(claim.now);
      update = 'SET leaseOwner = :owner, leaseUntil = :until, updatedAt = :updatedAt, expiresAt = :expiresAt';
    } else if (observed === undefined || observed.state === 'ended') {
      const sets = [
        '#state = :starting',
        'leaseOwner = :owner',
        'leaseUntil = :until',
        'pendingStart = :pendingStart',
        'initialMessageId = :owner',
        'businessPhoneNumberId = :business',
        'customerId = :customer',
        'updatedAt = :updatedAt',
        'expiresAt = :expiresAt',
      ];
      values[':pendingStart'] = s(JSON.stringify(claim.pendingStart));
      values[':business'] = s(key.businessPhoneNumberId);
      values[':customer'] = s(key.customerId);
      if (claim.customer.profileName) {
        sets.push('profileName = :profileName');
        values[':profileName'] = s(claim.customer.profileName);
      }
      if (claim.customer.phoneNumber) {
        sets.push('customerPhoneNumber = :phone');
        values[':phone'] = s(claim.customer.phoneNumber);
      }
      if (observed === undefined) {
        condition = 'attribute_not_exists(pk)';
      } else if (observed.contactId === undefined) {
        // Created by an agent-initiated template: the customer has never had a chat here.
        condition = '(attribute_not_exists(#state) OR #state = :ended) AND attribute_not_exists(contactId)';
        values[':ended'] = s('ended');
      } else {
        condition = '#state = :ended AND contactId = :endedContact';
        values[':ended'] = s('ended');
        values[':endedContact'] = s(observed.contactId ?? '');
        sets.push('previousContactId = :endedContact');
      }
      update = `SET ${sets.join(', ')} REMOVE contactId, participantToken, connectionToken, connectionExpiresAt`;
    } else {
      return undefined;
    }

    try {
      const result = await this.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: { pk: s(conversationPk(key)) },
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? toConversation(result.Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async recordContactCreated(
    key: ConversationKey,
    contact: { contactId: string; participantToken: string },
  ): Promise<void> {
    // Lookup first: once the conversation holds the contact id, a resumed start skips this method,
    // so a lookup lost after that write would leave the agent's replies with nowhere to go.
    await this.client.send(
      new PutItemCommand({
        TableName: this.options.tableName,
        Item: {
          pk: s(contactPk(contact.contactId)),
          conversationPk: s(conversationPk(key)),
          expiresAt: n(this.conversationExpiry()),
        },
      }),
    );
    await this.conditionalUpdate(
      key,
      'SET contactId = :contactId, participantToken = :participantToken, updatedAt = :now',
      '#state = :starting AND (attribute_not_exists(contactId) OR contactId = :contactId)',
      {
        ':contactId': s(contact.contactId),
        ':participantToken': s(contact.participantToken),
        ':starting': s('starting'),
        ':now': n(this.options.now()),
      },
      'throw',
    );
  }

  async activate(key: ConversationKey, contactId: string, connection: ConnectionCredentials): Promise<void> {
    await this.conditionalUpdate(
      key,
      'SET #state = :active, connectionToken = :token, connectionExpiresAt = :expiry, updatedAt = :now REMOVE leaseOwner, leaseUntil, pendingStart',
      'contactId = :contactId AND (#state = :starting OR #state = :active)',
      {
        ':active': s('active'),
        ':starting': s('starting'),
        ':contactId': s(contactId),
        ':token': s(connection.connectionToken),
        ':expiry': n(connection.expiresAt),
        ':now': n(this.options.now()),
      },
      'throw',
    );
  }

  async updateConnection(
    key: ConversationKey,
    contactId: string,
    connection: ConnectionCredentials,
  ): Promise<void> {
    await this.conditionalUpdate(
      key,
      'SET connectionToken = :token, connectionExpiresAt = :expiry, updatedAt = :now',
      'contactId = :contactId',
      {
        ':contactId': s(contactId),
        ':token': s(connection.connectionToken),
        ':expiry': n(connection.expiresAt),
        ':now': n(this.options.now()),
      },
      'ignore',
    );
  }

  async markEnded(key: ConversationKey, contactId: string): Promise<void> {
    await this.conditionalUpdate(
      key,
      'SET #state = :ended, updatedAt = :now REMOVE connectionToken, connectionExpiresAt',
      'contactId = :contactId AND #state = :active',
      {
        ':ended': s('ended'),
        ':active': s('active'),
        ':contactId': s(contactId),
        ':now': n(this.options.now()),
      },
      'ignore',
    );
  }

  async recordCustomerActivity(key: ConversationKey, activity: CustomerActivity): Promise<void> {
    const sets = [
      'lastCustomerMessageAt = :at',
      'lastCustomerMessageId = :messageId',
      'expiresAt = :expiresAt',
    ];
    const values: Item = {
      ':at': n(activity.at),
      ':messageId': s(activity.messageId),
      ':expiresAt': n(this.conversationExpiry()),
    };
    if (activity.profileName) {
      sets.push('profileName = :profileName');
      values[':profileName'] = s(activity.profileName);
    }
    if (activity.phoneNumber) {
      sets.push('customerPhoneNumber = :phone');
      values[':phone'] = s(activity.phoneNumber);
    }
    // Only move forward: an older message processed late must not shrink the 24-hour window.
    await this.conditionalUpdate(
      key,
      `SET ${sets.join(', ')}`,
      'attribute_exists(pk) AND (attribute_not_exists(lastCustomerMessageAt) OR lastCustomerMessageAt <= :at)',
      values,
      'ignore',
    );
  }

  async recordTypingSent(key: ConversationKey, now: number, minIntervalMs: number): Promise<boolean> {
    return this.conditionalUpdate(
      key,
      'SET lastTypingAt = :now',
      'attribute_exists(pk) AND (attribute_not_exists(lastTypingAt) OR lastTypingAt <= :threshold)',
      { ':now': n(now), ':threshold': n(now - minIntervalMs) },
      'ignore',
    );
  }

  async recordReadMarked(key: ConversationKey, whatsAppMessageId: string): Promise<boolean> {
    return this.conditionalUpdate(
      key,
      'SET lastReadMarkedId = :id',
      'attribute_exists(pk) AND (attribute_not_exists(lastReadMarkedId) OR lastReadMarkedId <> :id)',
      { ':id': s(whatsAppMessageId) },
      'ignore',
    );
  }

  async claimSend(sendId: string, options: { now: number; leaseMs: number }): Promise<SendClaim> {
    const pk = sendClaimPk(sendId);
    const leaseUntil = n(options.now + options.leaseMs);
    const expiresAt = n(ttlSeconds(options.now, this.options.ledgerTtlDays));
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: { pk: s(pk), sendStatus: s('sending'), leaseUntil, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk) OR sendStatus = :released',
          ExpressionAttributeValues: { ':released': s('released') },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const existing = await this.getItem(pk);
    if (!existing) return 'in-progress';
    if (str(existing, 'sendStatus') === 'sent') return 'sent';
    const previousLease = num(existing, 'leaseUntil') ?? 0;
    if (previousLease > options.now) return 'in-progress';
    try {
      // The earlier attempt's lease ran out: it died, perhaps after WhatsApp accepted the message.
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: { pk: s(pk) },
          UpdateExpression: 'SET leaseUntil = :lease',
          ConditionExpression: 'sendStatus = :sending AND leaseUntil = :previous',
          ExpressionAttributeValues: {
            ':lease': leaseUntil,
            ':sending': s('sending'),
            ':previous': n(previousLease),
          },
        }),
      );
      return 'retakenStale';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'in-progress';
      throw error;
    }
  }

  async markSent(sendId: string, record: OutboundSendRecord): Promise<void> {
    const expiresAt = n(ttlSeconds(this.options.now(), this.options.ledgerTtlDays));
    const fields = {
      connectItemId: s(record.connectItemId),
      initialContactId: s(record.initialContactId),
      whatsAppMessageId: s(record.whatsAppMessageId),
      sentAt: n(record.sentAt),
      expiresAt,
      // Outbound notices: the message's first words (OutboundSendRecord.preview).
      ...(record.preview ? { preview: s(record.preview) } : {}),
    };
    await this.batchPut([
      { pk: s(sendClaimPk(sendId)), sendStatus: s('sent'), ...fields },
      { pk: s(whatsAppSentPk(record.whatsAppMessageId)), ...fields },
    ]);
  }

  async releaseClaim(sendId: string): Promise<void> {
    await this.client
      .send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: { pk: s(sendClaimPk(sendId)) },
          UpdateExpression: 'SET sendStatus = :released',
          ConditionExpression: 'sendStatus = :sending',
          ExpressionAttributeValues: { ':released': s('released'), ':sending': s('sending') },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async findSent(whatsAppMessageId: string): Promise<OutboundSendRecord | undefined> {
    const item = await this.getItem(whatsAppSentPk(whatsAppMessageId));
    if (!item) return undefined;
    return {
      connectItemId: str(item, 'connectItemId') ?? '',
      initialContactId: str(item, 'initialContactId') ?? '',
      whatsAppMessageId,
      sentAt: num(item, 'sentAt') ?? 0,
      // Outbound notices: the message's first words (OutboundSendRecord.preview).
      ...(str(item, 'preview') ? { preview: str(item, 'preview') } : {}),
    };
  }

  async findInboundByConnectMessageId(
    connectMessageId: string,
  ): Promise<{ whatsAppMessageId: string } | undefined> {
    const item = await this.getItem(connectMessagePk(connectMessageId));
    const whatsAppMessageId = item ? str(item, 'whatsAppMessageId') : undefined;
    return whatsAppMessageId ? { whatsAppMessageId } : undefined;
  }

  async recordAgentInitiation(key: ConversationKey, initiation: AgentInitiation): Promise<void> {
    const values: Item = {
      ':business': s(key.businessPhoneNumberId),
      ':customer': s(key.customerId),
      ':template': s(initiation.templateName),
      ':at': n(initiation.at),
      ':now': n(this.options.now()),
      ':expiresAt': n(this.conversationExpiry()),
    };
    const sets = [
      'businessPhoneNumberId = if_not_exists(businessPhoneNumberId, :business)',
      'customerId = if_not_exists(customerId, :customer)',
      'initiatedTemplate = :template',
      'initiatedAt = :at',
      'updatedAt = :now',
      'expiresAt = :expiresAt',
    ];
    if (initiation.agentId) {
      sets.push('initiatedByAgentId = :agent');
      values[':agent'] = s(initiation.agentId);
    }
    // An unknown sender must not leave an earlier agent's id in place to be routed to.
    const remove = initiation.agentId ? '' : ' REMOVE initiatedByAgentId';
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: { pk: s(conversationPk(key)) },
        UpdateExpression: `SET ${sets.join(', ')}${remove}`,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async findByContactId(contactId: string): Promise<Conversation | undefined> {
    const lookup = await this.getItem(contactPk(contactId));
    const pk = lookup ? str(lookup, 'conversationPk') : undefined;
    if (!pk) return undefined;
    const item = await this.getItem(pk);
    return item ? toConversation(item) : undefined;
  }

  async findInbound(whatsAppMessageId: string): Promise<InboundRelayRecord | undefined> {
    const item = await this.getItem(inboundPk(whatsAppMessageId));
    if (!item) return undefined;
    return {
      whatsAppMessageId,
      contactId: str(item, 'contactId') ?? '',
      connectMessageIds: strList(item, 'connectMessageIds'),
      conversationKey: str(item, 'conversationKey') ?? '',
      relayedAt: num(item, 'relayedAt') ?? 0,
      ...(str(item, 'attachmentId') ? { attachmentId: str(item, 'attachmentId') } : {}),
      ...(item.complete?.BOOL === false ? { complete: false } : {}),
    };
  }

  async recordInbound(record: InboundRelayRecord): Promise<void> {
    const expiresAt = n(ttlSeconds(this.options.now(), this.options.ledgerTtlDays));
    await this.batchPut([
      {
        pk: s(inboundPk(record.whatsAppMessageId)),
        contactId: s(record.contactId),
        connectMessageIds: ss(record.connectMessageIds),
        conversationKey: s(record.conversationKey),
        relayedAt: n(record.relayedAt),
        expiresAt,
        ...(record.attachmentId ? { attachmentId: s(record.attachmentId) } : {}),
        ...(record.complete === false ? { complete: { BOOL: false } } : {}),
      },
      // The reverse map lets a Connect read receipt find the WhatsApp message to mark read.
      ...record.connectMessageIds.map((connectMessageId) => ({
        pk: s(connectMessagePk(connectMessageId)),
        whatsAppMessageId: s(record.whatsAppMessageId),
        contactId: s(record.contactId),
        conversationKey: s(record.conversationKey),
        expiresAt,
      })),
    ]);
  }

  /**
   * Writes items in as few requests as DynamoDB allows (25 per BatchWriteItem): one round trip
   * for the usual one or two items. Unprocessed items (throttling) are retried with backoff.
   */
  private async batchPut(items: readonly Item[]): Promise<void> {
    for (let offset = 0; offset < items.length; offset += 25) {
      let requests = items.slice(offset, offset + 25).map((item) => ({ PutRequest: { Item: item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        if (attempt >= 6)
          throw new RetryableError('DynamoDB left items unprocessed', 'BatchWriteUnprocessed');
        const result = await this.client.send(
          new BatchWriteItemCommand({ RequestItems: { [this.options.tableName]: requests } }),
        );
        requests = (result.UnprocessedItems?.[this.options.tableName] ?? []).flatMap((request) =>
          request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
        );
      }
    }
  }

  private async getItem(pk: string): Promise<Item | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: { pk: s(pk) }, ConsistentRead: true }),
    );
    return result.Item;
  }

  private async conditionalUpdate(
    key: ConversationKey,
    update: string,
    condition: string,
    values: Item,
    onConditionFailed: 'throw' | 'ignore',
  ): Promise<boolean> {
    const usesState = update.includes('#state') || condition.includes('#state');
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: { pk: s(conversationPk(key)) },
          UpdateExpression: update,
          ConditionExpression: condition,
          ...(usesState ? { ExpressionAttributeNames: { '#state': 'state' } } : {}),
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException && onConditionFailed === 'ignore') return false;
      throw error;
    }
  }

  private conversationExpiry(): number {
    return ttlSeconds(this.options.now(), this.options.conversationTtlDays);
  }
}

function toConversation(item: Item): Conversation {
  const connectionToken = str(item, 'connectionToken');
  const connectionExpiresAt = num(item, 'connectionExpiresAt');
  const leaseOwner = str(item, 'leaseOwner');
  const leaseUntil = num(item, 'leaseUntil');
  const pendingStart = str(item, 'pendingStart');
  const initiatedTemplate = str(item, 'initiatedTemplate');
  const initiatedAt = num(item, 'initiatedAt');
  const initiatedByAgentId = str(item, 'initiatedByAgentId');
  const conversation: Conversation = {
    key: {
      businessPhoneNumberId: str(item, 'businessPhoneNumberId') ?? '',
      customerId: str(item, 'customerId') ?? '',
    },
    state: (str(item, 'state') ?? 'ended') as ConversationState,
  };
  const optionalFields: Partial<Record<keyof Conversation, unknown>> = {
    contactId: str(item, 'contactId'),
    participantToken: str(item, 'participantToken'),
    previousContactId: str(item, 'previousContactId'),
    initialMessageId: str(item, 'initialMessageId'),
    profileName: str(item, 'profileName'),
    customerPhoneNumber: str(item, 'customerPhoneNumber'),
    lastCustomerMessageAt: num(item, 'lastCustomerMessageAt'),
    lastCustomerMessageId: str(item, 'lastCustomerMessageId'),
    lastReadMarkedId: str(item, 'lastReadMarkedId'),
    connection:
      connectionToken && connectionExpiresAt !== undefined
        ? { connectionToken, expiresAt: connectionExpiresAt }
        : undefined,
    startLease: leaseOwner && leaseUntil !== undefined ? { owner: leaseOwner, until: leaseUntil } : undefined,
    pendingStart: pendingStart ? (JSON.parse(pendingStart) as PendingChatStart) : undefined,
    initiatedBy:
      initiatedTemplate && initiatedAt !== undefined
        ? {
            templateName: initiatedTemplate,
            at: initiatedAt,
            ...(initiatedByAgentId ? { agentId: initiatedByAgentId } : {}),
          }
        : undefined,
  };
  for (const [name, value] of Object.entries(optionalFields)) {
    if (value !== undefined) (conversation as unknown as Record<string, unknown>)[name] = value;
  }
  return conversation;
}

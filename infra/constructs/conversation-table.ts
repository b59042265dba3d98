import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * Who uses the conversation table: the relays, or the send-template function, which records an
 * agent's initiation (UpdateItem) after resolving the customer's conversation key (GetItem, PutItem:
 * the number may be an alias of a BSUID-keyed conversation), or the customer-data function, which
 * only reads a customer's marketing choice for the guide (GetItem).
 */
export type ConversationAccess = 'relay' | 'template-initiation' | 'read';

const CONVERSATION_ACTIONS: Readonly<Record<ConversationAccess, readonly string[]>> = {
  relay: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
  'template-initiation': ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  read: ['dynamodb:GetItem'],
};

/**
 * Conversations, contactId lookups and the relay ledger (see DynamoDbConversationStore).
 * On-demand, encrypted, point-in-time recoverable, and every item carries a TTL (`expiresAt`).
 * Retained on stack deletion: it holds live conversations.
 */
export class ConversationTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Only the item-level calls each kind of caller makes: no scans, queries or deletes. */
  grant(grantee: iam.IGrantable, access: ConversationAccess): void {
    this.table.grant(grantee, ...CONVERSATION_ACTIONS[access]);
  }
}

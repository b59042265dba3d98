import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { CustomerRecord } from '../domain/customer.js';
import type { CustomerDirectory } from '../ports/customer-directory.js';
import { classifyAwsError } from './aws-errors.js';
import { type Item, s, str } from './dynamodb-attributes.js';

/** Item keys of the customers table: one item per customer, one pointer per phone number. */
export const customerPk = (customerId: string) => `customer#${customerId}`;
export const phonePk = (e164: string) => `phone#${e164}`;

/**
 * Customers in a DynamoDB table keyed by `pk`, read with GetItem only (no scans or indexes), so
 * the function's role needs nothing but dynamodb:GetItem. `npm run seed:customers` writes it.
 */
export class DynamoDbCustomerDirectory implements CustomerDirectory {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async findById(customerId: string): Promise<CustomerRecord | undefined> {
    const item = await this.getItem(customerPk(customerId));
    return item ? toCustomer(item) : undefined;
  }

  async findByPhoneNumber(phoneNumber: string): Promise<CustomerRecord | undefined> {
    const pointer = await this.getItem(phonePk(phoneNumber));
    const customerId = pointer ? str(pointer, 'customerId') : undefined;
    return customerId ? this.findById(customerId) : undefined;
  }

  private async getItem(pk: string): Promise<Item | undefined> {
    try {
      const result = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: { pk: s(pk) } }),
      );
      return result.Item;
    } catch (error) {
      throw classifyAwsError('GetCustomer', error);
    }
  }
}

/** The DynamoDB item for a customer, as the seed script writes it. */
export function customerItem(customer: CustomerRecord): Item {
  return {
    pk: s(customerPk(customer.customerId)),
    customerId: s(customer.customerId),
    name: s(customer.name),
    ...(customer.phoneNumber ? { phoneNumber: s(customer.phoneNumber) } : {}),
    attributes: {
      M: Object.fromEntries(Object.entries(customer.attributes).map(([key, value]) => [key, s(value)])),
    },
  };
}

function toCustomer(item: Item): CustomerRecord | undefined {
  const customerId = str(item, 'customerId');
  if (!customerId) return undefined;
  const attributes = Object.fromEntries(
    Object.entries(item.attributes?.M ?? {}).flatMap(([key, value]) =>
      value.S === undefined ? [] : [[key, value.S]],
    ),
  );
  const phoneNumber = str(item, 'phoneNumber');
  return {
    customerId,
    name: str(item, 'name') ?? customerId,
    ...(phoneNumber ? { phoneNumber } : {}),
    attributes,
  };
}

/**
 * Loads sample customers into the customers table the agent-initiated template guide reads.
 *
 *   CUSTOMERS_TABLE_NAME=<stack output CustomersTableName> npm run seed:customers [-- file.json]
 *
 * The file defaults to scripts/customers.sample.json. Set AWS_ENDPOINT_URL_DYNAMODB to load a local
 * emulator instead (the SDK honours it); AWS_REGION and credentials come from the usual places.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { s } from '../shared/adapters/dynamodb-attributes.js';
import { customerItem, phonePk } from '../shared/adapters/dynamodb-customer-directory.js';
import type { CustomerRecord } from '../shared/domain/customer.js';
import { checkWhatsAppNumber } from '../shared/domain/phone-number.js';

const customersFileSchema = z.array(
  z.object({
    customerId: z.string().min(1).max(128),
    name: z.string().min(1),
    phoneNumber: z
      .string()
      .refine((value) => checkWhatsAppNumber(value).ok, 'must be a plausible E.164 number like +447700900123')
      .optional(),
    attributes: z.record(z.string(), z.string()).default({}),
  }),
);

/** Reads and validates a customers file, naming every bad entry. */
export function loadCustomersFile(path: string): CustomerRecord[] {
  const parsed = customersFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid customers file ${path}:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/** Writes each customer and its phone-number pointer (the two items the directory reads). */
export async function seedCustomers(
  customers: readonly CustomerRecord[],
  target: { client: DynamoDBClient; tableName: string },
): Promise<number> {
  for (const customer of customers) {
    await target.client.send(
      new PutItemCommand({ TableName: target.tableName, Item: customerItem(customer) }),
    );
    if (customer.phoneNumber) {
      await target.client.send(
        new PutItemCommand({
          TableName: target.tableName,
          Item: { pk: s(phonePk(customer.phoneNumber)), customerId: s(customer.customerId) },
        }),
      );
    }
  }
  return customers.length;
}

async function main(): Promise<void> {
  const tableName = process.env.CUSTOMERS_TABLE_NAME;
  if (!tableName) throw new Error('Set CUSTOMERS_TABLE_NAME (stack output CustomersTableName).');
  const file = process.argv[2] ?? 'scripts/customers.sample.json';
  const customers = loadCustomersFile(file);
  // The SDK reads AWS_ENDPOINT_URL_DYNAMODB itself, so a local emulator needs no code change.
  const client = new DynamoDBClient({});
  const count = await seedCustomers(customers, { client, tableName });
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? 'AWS';
  console.log(`Loaded ${count} customers from ${file} into ${tableName} (${endpoint}).`);
  client.destroy();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}

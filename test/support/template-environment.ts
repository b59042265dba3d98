import { vi } from 'vitest';
import { loadCustomersFile, seedCustomers } from '../../scripts/seed-customers.js';
import { type DynamoDbEmulator, startDynamoDbEmulator } from './dynamodb-emulator.js';
import { FakeEum, type FakeTemplate, SENDER_PHONE_NUMBER_ID, WABA_ID } from './fake-eum.js';
import { FakeGuideContacts } from './fake-guide-contacts.js';
import type { GuideAnswer } from './guide-answers.js';
import { type RelayTable, relayTable } from './relay-table.js';

export const CUSTOMERS_TABLE = 'relay-customers';
export const CONVERSATIONS_TABLE = 'relay-conversations';

/**
 * The real customer-data and send-template Lambda entries (functions/<name>/index.ts), wired to a
 * DynamoDB emulator seeded with scripts/customers.sample.json, with EUM Social answered at the SDK
 * boundary. Each start imports fresh modules, as a cold container would.
 */
export interface TemplateEnvironment {
  readonly customerData: (event: unknown) => Promise<GuideAnswer>;
  readonly sendTemplate: (
    event: unknown,
    context?: { getRemainingTimeInMillis(): number },
  ) => Promise<GuideAnswer>;
  readonly eum: FakeEum;
  /** Connect's DescribeContact: the guide contact, and the customer contact it is related to. */
  readonly contacts: FakeGuideContacts;
  readonly conversations: RelayTable;
  readonly emulator: DynamoDbEmulator;
  stop(): Promise<void>;
}

export async function startTemplateEnvironment(
  options: { env?: Record<string, string>; templates?: readonly FakeTemplate[] } = {},
): Promise<TemplateEnvironment> {
  const emulator = await startDynamoDbEmulator();
  await emulator.createTable(CUSTOMERS_TABLE);
  await emulator.createTable(CONVERSATIONS_TABLE);
  await seedCustomers(loadCustomersFile('scripts/customers.sample.json'), {
    client: emulator.client,
    tableName: CUSTOMERS_TABLE,
  });
  const environment: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: emulator.endpoint,
    CUSTOMERS_TABLE_NAME: CUSTOMERS_TABLE,
    CONVERSATION_TABLE_NAME: CONVERSATIONS_TABLE,
    WHATSAPP_BUSINESS_ACCOUNT_ID: WABA_ID,
    TEMPLATE_SENDER_PHONE_NUMBER_ID: SENDER_PHONE_NUMBER_ID,
    META_API_VERSION: 'v23.0',
    CONNECT_INSTANCE_ID: 'a1b2c3d4-5678-90ab-cdef-111122223333',
    POWERTOOLS_DEV: 'true',
    POWERTOOLS_METRICS_DISABLED: 'false',
    POWERTOOLS_METRICS_NAMESPACE: 'WhatsAppConnectRelay',
    ...options.env,
  };
  for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
  const eum = new FakeEum(options.templates);
  const contacts = new FakeGuideContacts();
  vi.resetModules();
  const customerData = await import('../../functions/customer-data/index.js');
  const sendTemplate = await import('../../functions/send-template/index.js');
  return {
    customerData: customerData.handler as (event: unknown) => Promise<GuideAnswer>,
    sendTemplate: sendTemplate.handler as TemplateEnvironment['sendTemplate'],
    eum,
    contacts,
    conversations: relayTable(emulator.client, CONVERSATIONS_TABLE),
    emulator,
    async stop() {
      eum.restore();
      contacts.restore();
      vi.unstubAllEnvs();
      await emulator.stop();
    },
  };
}

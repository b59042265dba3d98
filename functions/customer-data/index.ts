import { ConnectClient } from '@aws-sdk/client-connect';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { ConnectDescribeContacts } from '../../shared/adapters/connect-contacts.js';
import { conversationStores } from '../../shared/adapters/conversation-stores.js';
import { DynamoDbCustomerDirectory } from '../../shared/adapters/dynamodb-customer-directory.js';
import { EumTemplateCatalogue } from '../../shared/adapters/eum-template-catalogue.js';
import { loadCustomerDataConfig } from '../../shared/config/customer-data-config.js';
import { decodeTemplateDefinition } from '../../shared/decoders/whatsapp-template-decoder.js';
import { MAX_FORM_PARAMETERS } from '../../shared/domain/template-guide.js';
import { createObservability } from '../../shared/observability/telemetry.js';
import { findGuideContext } from '../../shared/use-cases/find-guide-context.js';
import { LoadTemplateGuide } from '../../shared/use-cases/load-template-guide.js';
import { makeHandler } from './handler.js';

// Bundle entry: configuration, clients and the template cache live as long as the container.
const config = loadCustomerDataConfig(process.env);
const { telemetry, flushMetrics } = createObservability('whatsapp-customer-data');
// The flow waits at most 8 s for this function: one retry, then answer with what we have.
const clientOptions = { maxAttempts: 2, retryMode: 'standard' } as const;
const contacts = new ConnectDescribeContacts(new ConnectClient(clientOptions), config.CONNECT_INSTANCE_ID);
const dynamo = new DynamoDBClient(clientOptions);
// Read only (findKey and marketingPreferenceOf): the TTLs apply to writes, which this function never makes.
const table = conversationStores(dynamo, {
  CONVERSATION_TABLE_NAME: config.CONVERSATION_TABLE_NAME,
  CONVERSATION_TTL_DAYS: 30,
  LEDGER_TTL_DAYS: 8,
});
const marketing = {
  businessPhoneNumberId: config.TEMPLATE_SENDER_PHONE_NUMBER_ID,
  keys: table.customerKeys,
  preferences: table.marketing,
};

export const handler = makeHandler({
  guide: new LoadTemplateGuide({
    customers: new DynamoDbCustomerDirectory(dynamo, config.CUSTOMERS_TABLE_NAME),
    catalogue: new EumTemplateCatalogue(new SocialMessagingClient(clientOptions), {
      wabaId: config.WHATSAPP_BUSINESS_ACCOUNT_ID,
      ...(config.TEMPLATE_ALLOW_LIST ? { allowList: config.TEMPLATE_ALLOW_LIST } : {}),
      ttlMs: config.TEMPLATE_CACHE_TTL_SECONDS * 1000,
      maxParameters: MAX_FORM_PARAMETERS,
      now: Date.now,
      telemetry,
      decode: decodeTemplateDefinition,
    }),
    telemetry,
  }),
  context: (guideContactId) => findGuideContext(contacts, guideContactId, telemetry, marketing),
  telemetry,
  flush: flushMetrics,
});

import { ConnectClient } from '@aws-sdk/client-connect';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { ConnectDescribeContacts } from '../../shared/adapters/connect-contacts.js';
import { conversationStores } from '../../shared/adapters/conversation-stores.js';
import { EumTemplateCatalogue } from '../../shared/adapters/eum-template-catalogue.js';
import { EumTemplateSender } from '../../shared/adapters/eum-template-sender.js';
import { EumWhatsAppSender } from '../../shared/adapters/eum-whatsapp-sender.js';
import { throttleBackoff } from '../../shared/adapters/throttle-backoff.js';
import {
  SEND_BUDGET_MS,
  SEND_REQUEST_TIMEOUT_MS,
  SEND_TEMPLATE_BUDGET_MS,
  SEND_THROTTLE_WINDOW_MS,
} from '../../shared/config/guide-timing.js';
import { loadSendTemplateConfig } from '../../shared/config/send-template-config.js';
import { decodeTemplateDefinition } from '../../shared/decoders/whatsapp-template-decoder.js';
import { MAX_FORM_PARAMETERS } from '../../shared/domain/template-guide.js';
import { createObservability } from '../../shared/observability/telemetry.js';
import { findGuideContext } from '../../shared/use-cases/find-guide-context.js';
import { SendAgentTemplate } from '../../shared/use-cases/send-agent-template.js';
import { makeHandler } from './handler.js';

// Bundle entry: configuration, clients and the template cache live as long as the container.
const config = loadSendTemplateConfig(process.env);
const { telemetry, flushMetrics } = createObservability('whatsapp-send-template');
// The flow waits at most 8 s: one SDK retry, then tell the agent to press Send again.
const clientOptions = { maxAttempts: 2, retryMode: 'standard' } as const;
const socialMessaging = new SocialMessagingClient(clientOptions);
// Sends get no SDK retries: a retry after a timeout could send the template twice. Throttling is
// retried by the sender itself, within SEND_THROTTLE_WINDOW_MS; each request gives up after
// SEND_REQUEST_TIMEOUT_MS, so the answer (sent, refused or "not confirmed") is back before the flow stops waiting.
const sendingClient = new SocialMessagingClient({
  ...clientOptions,
  maxAttempts: 1,
  requestHandler: { requestTimeout: SEND_REQUEST_TIMEOUT_MS, connectionTimeout: 1_000 },
});
const contacts = new ConnectDescribeContacts(new ConnectClient(clientOptions), config.CONNECT_INSTANCE_ID);
// Only the agent-initiation and customer-key adapters of the table are used here; no ledger TTL applies.
const table = conversationStores(new DynamoDBClient(clientOptions), { ...config, LEDGER_TTL_DAYS: 8 });

export const handler = makeHandler({
  sendTemplate: new SendAgentTemplate({
    catalogue: new EumTemplateCatalogue(socialMessaging, {
      wabaId: config.WHATSAPP_BUSINESS_ACCOUNT_ID,
      ...(config.TEMPLATE_ALLOW_LIST ? { allowList: config.TEMPLATE_ALLOW_LIST } : {}),
      ttlMs: config.TEMPLATE_CACHE_TTL_SECONDS * 1000,
      maxParameters: MAX_FORM_PARAMETERS,
      now: Date.now,
      telemetry,
      decode: decodeTemplateDefinition,
    }),
    sender: new EumTemplateSender(
      new EumWhatsAppSender(
        sendingClient,
        config.META_API_VERSION,
        throttleBackoff(() => Date.now() + SEND_THROTTLE_WINDOW_MS),
      ),
      {
        originationPhoneNumberId: config.TEMPLATE_SENDER_PHONE_NUMBER_ID,
      },
    ),
    conversations: table.initiations,
    keys: table.customerKeys,
    marketing: table.marketing,
    telemetry,
    businessPhoneNumberId: config.TEMPLATE_SENDER_PHONE_NUMBER_ID,
    now: Date.now,
    sendBudgetMs: SEND_BUDGET_MS,
  }),
  context: (guideContactId) => findGuideContext(contacts, guideContactId, telemetry),
  budgetMs: SEND_TEMPLATE_BUDGET_MS,
  now: Date.now,
  telemetry,
  flush: flushMetrics,
});

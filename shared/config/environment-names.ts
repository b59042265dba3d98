/**
 * Every environment variable a function's config loader reads, named once. The loaders
 * (shared/config/*-config.ts) read them under these names and infra/ sets them under the same
 * names (RelayFunction's bind* helpers), so the two sides cannot drift apart;
 * test/infra/environment-contract.test.ts runs each loader against the synthesized template.
 */
export const ENV = {
  // Resources, set by RelayFunction's bind* helpers with the access each needs.
  conversationTable: 'CONVERSATION_TABLE_NAME',
  customersTable: 'CUSTOMERS_TABLE_NAME',
  deadLetterQueue: 'DEAD_LETTER_QUEUE_URL',
  orderedQueue: 'ORDERED_QUEUE_URL',
  mediaBucket: 'MEDIA_BUCKET_NAME',
  streamingTopic: 'STREAMING_TOPIC_ARN',
  connectInstanceId: 'CONNECT_INSTANCE_ID',
  transcriptionJobPrefix: 'TRANSCRIPTION_JOB_PREFIX',
  // Settings, set with RelayFunction.configure.
  businessNumbers: 'BUSINESS_NUMBERS',
  whatsAppBusinessAccountId: 'WHATSAPP_BUSINESS_ACCOUNT_ID',
  templateSenderPhoneNumberId: 'TEMPLATE_SENDER_PHONE_NUMBER_ID',
  templateAllowList: 'TEMPLATE_ALLOW_LIST',
  templateCacheTtlSeconds: 'TEMPLATE_CACHE_TTL_SECONDS',
  metaApiVersion: 'META_API_VERSION',
  chatDurationMinutes: 'CHAT_DURATION_MINUTES',
  conversationTtlDays: 'CONVERSATION_TTL_DAYS',
  ledgerTtlDays: 'LEDGER_TTL_DAYS',
  chatStartLeaseMs: 'CHAT_START_LEASE_MS',
  chatStartWaitMs: 'CHAT_START_WAIT_MS',
  chatStartMaxAttempts: 'CHAT_START_MAX_ATTEMPTS',
  chatStartMaxAgeMs: 'CHAT_START_MAX_AGE_MS',
  persistentChatPatienceMs: 'PERSISTENT_CHAT_PATIENCE_MS',
  customerServiceWindowHours: 'CUSTOMER_SERVICE_WINDOW_HOURS',
  typingIntervalSeconds: 'TYPING_INTERVAL_SECONDS',
  sendLeaseSeconds: 'SEND_LEASE_SECONDS',
  unknownContactRetrySeconds: 'UNKNOWN_CONTACT_RETRY_SECONDS',
  attachmentScanWaitSeconds: 'ATTACHMENT_SCAN_WAIT_SECONDS',
  listButtonLabel: 'LIST_BUTTON_LABEL',
  agentJoinedMessage: 'AGENT_JOINED_MESSAGE',
  chatEndedMessage: 'CHAT_ENDED_MESSAGE',
} as const;

/** One setting's variable name, as infra/ passes it to RelayFunction.configure. */
export type EnvName = (typeof ENV)[keyof typeof ENV];

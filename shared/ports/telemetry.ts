/**
 * The narrow slice of logging and metrics the use cases need. The Powertools-backed
 * implementation lives in shared/observability; tests use an in-memory one.
 */
export interface Telemetry {
  count(metric: MetricName, dimensions?: Readonly<Record<string, string>>): void;
  /** One latency sample in milliseconds; published as raw values so CloudWatch can give p50/p95. */
  measure(metric: LatencyMetricName, milliseconds: number): void;
  info(message: string, attributes?: Readonly<Record<string, unknown>>): void;
  warn(message: string, attributes?: Readonly<Record<string, unknown>>): void;
  error(message: string, attributes?: Readonly<Record<string, unknown>>): void;
}

export type MetricName =
  | 'MessagesRelayed'
  | 'ChatsStarted'
  | 'DuplicatesSkipped'
  | 'RelayFailures'
  | 'RejectedRecords'
  | 'UnconfiguredNumberEvents'
  | 'StatusesReceived'
  | 'WebhookErrors'
  | 'MalformedItems'
  | 'WebhookFields'
  | 'UserPreferences'
  | 'AccountEvents'
  | 'ConnectionRefreshed'
  | 'ChatEndedDetected'
  | 'ChatStartWaits'
  | 'ChatStartTakeovers'
  | 'ChatStartsRefused'
  | 'PersistentChatRetries'
  | 'PersistentChatFallbacks'
  | 'OutboundSent'
  | 'OutboundFiltered'
  | 'OutboundUnknownContact'
  | 'OutboundEventsIgnored'
  | 'WindowClosedBlocked'
  | 'PossibleDuplicateSends'
  | 'TypingSent'
  | 'TypingThrottled'
  | 'ReadReceiptsSent'
  | 'ReceiptsRelayed'
  | 'ReceiptsUnmatched'
  | 'ReceiptsDropped'
  | 'AgentAttachmentsRefused'
  | 'WhatsAppDeliveryFailures'
  | 'AgentNoticesPosted'
  | 'ChatEndedByConnect'
  | 'LastAgentRecorded'
  | 'LastAgentNotRecorded'
  | 'MediaAttached'
  | 'MediaNotAttached'
  // Every webhook item for a configured business number (silence detection, per BusinessNumber).
  | 'InboundEvents'
  // Meta's phone_number_quality_update / account_update, per Severity (shared/domain/account-health.ts).
  | 'AccountHealthEvents'
  // "Call me" voice callbacks.
  | 'CallbacksRequested'
  | 'CallbacksStarted'
  | 'CallbacksRefused'
  | 'CallbacksUnconfirmed'
  | 'CallbackRepeatsHeldBack'
  | 'CallbackDuplicatesSkipped'
  | 'CallbackRepliesRefused'
  // Voice-note transcription (issue 12).
  | 'TranscriptionsStarted'
  | 'TranscriptionsAlreadyStarted'
  | 'TranscriptionsSkipped'
  | 'TranscriptionsNotStarted'
  | 'TranscriptsPosted'
  | 'TranscriptsAlreadyPosted'
  | 'TranscriptsDropped'
  // Ordering stages.
  | 'ItemsOrdered'

  // Agent-initiated templates.
  | 'CustomerLookups'
  | 'TemplateCatalogueLoads'
  | 'TemplateFormRejected'
  | 'MarketingChoices'
  | 'TemplatesSent'
  | 'TemplateSendFailures'
  | 'TemplateSendThrottled'
  | 'AgentInitiationsRecorded'
  | 'GuideContextResolved'
  | 'GuideMarketingLookups'
  | 'TemplateSendUnconfirmed';

/**
 * End-to-end latencies, one sample per relayed message (shared/use-cases/relay-latency.ts):
 * - InboundLatency: WhatsApp's message timestamp → Connect accepted the message.
 * - InboundLatencySinceEum: EUM Social's envelope `message_timestamp` → Connect accepted it.
 * - OutboundLatency: the Connect item's AbsoluteTime → EUM Social accepted the send.
 */
export type LatencyMetricName = 'InboundLatency' | 'InboundLatencySinceEum' | 'OutboundLatency';

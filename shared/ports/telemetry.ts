/**
 * The narrow slice of logging and metrics the use cases need. The Powertools-backed
 * implementation lives in shared/observability; tests use an in-memory one.
 */
export interface Telemetry {
  count(metric: MetricName, dimensions?: Readonly<Record<string, string>>): void;
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
  | 'MediaAttached'
  | 'MediaNotAttached'
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
  | 'TemplatesSent'
  | 'TemplateSendFailures'
  | 'TemplateSendThrottled'
  | 'AgentInitiationsRecorded'
  | 'GuideContextResolved'
  | 'TemplateSendUnconfirmed';

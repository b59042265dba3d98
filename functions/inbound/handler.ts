import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { errorName } from '../../shared/adapters/aws-errors.js';
import { processOrderedBatch } from '../../shared/batch/ordered-batch.js';
import { decodeWhatsAppWebhook, type WebhookItem } from '../../shared/decoders/whatsapp-webhook-decoder.js';
import { conversationKeyFor, conversationKeyString } from '../../shared/domain/conversation.js';
import { RetryableError } from '../../shared/domain/errors.js';
import { hashForLogs } from '../../shared/domain/tokens.js';
import type { RejectedRecordSink } from '../../shared/ports/rejected-record-sink.js';
import type { Telemetry } from '../../shared/ports/telemetry.js';

/** What the inbound handler needs; built once in index.ts, or by a test. */
export interface InboundHandlerDependencies {
  readonly relayMessage: {
    execute(message: Extract<WebhookItem, { kind: 'message' }>['message']): Promise<unknown>;
  };
  readonly isConfiguredNumber: (phoneNumberId: string) => boolean;
  readonly rejectedRecords: RejectedRecordSink;
  readonly telemetry: Telemetry;
  /** Conversations processed at once within a batch. */
  readonly concurrency: number;
  /** Called once per invocation after the batch, to flush metrics. */
  readonly flush?: () => void;
}

/**
 * SQS (← SNS ← EUM Social) → one relay per WhatsApp message, in order per conversation.
 * Statuses and webhook errors are counted and acknowledged here; the outbound side acts on them.
 */
export function makeHandler(deps: InboundHandlerDependencies) {
  const { telemetry } = deps;
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    try {
      return await processOrderedBatch<WebhookItem>(event.Records, {
        concurrency: deps.concurrency,
        decode: (record) => decodeWhatsAppWebhook(record.body).items,
        orderKey: (item) => {
          if (item.kind === 'message') {
            return conversationKeyString(conversationKeyFor(item.message.business, item.message.customer));
          }
          return item.kind === 'status' ? `status#${item.status.messageId}` : `other#${Math.random()}`;
        },
        sortKey: (item) => (item.kind === 'message' ? item.message.timestamp : 0),
        process: (item) => handleItem(deps, item),
        reject: async (record, error) => {
          telemetry.count('RejectedRecords', { Reason: error.reason });
          telemetry.error('Rejected malformed record to the dead-letter queue', {
            sqsMessageId: record.messageId,
            reason: error.reason,
            detail: error.message,
          });
          await deps.rejectedRecords.reject({
            body: record.body,
            reason: error.reason,
            detail: error.message,
            sourceMessageId: record.messageId,
          });
        },
        onItemFailure: (item, error) => {
          const reason = error instanceof RetryableError ? error.reason : errorName(error);
          telemetry.count('RelayFailures', { Reason: reason });
          telemetry.warn('Item failed; its record will be retried', {
            ...describe(item),
            reason,
            error: error instanceof Error ? error.message : String(error),
          });
        },
        onItemSkipped: (item) =>
          telemetry.info('Held back behind a failed message of the same conversation', describe(item)),
      });
    } finally {
      deps.flush?.();
    }
  };
}

async function handleItem(deps: InboundHandlerDependencies, item: WebhookItem): Promise<void> {
  const { telemetry } = deps;
  switch (item.kind) {
    case 'message':
      if (!deps.isConfiguredNumber(item.message.business.phoneNumberId)) {
        telemetry.count('UnconfiguredNumberEvents');
        telemetry.warn(
          'Message for a business number this relay does not serve; acknowledged',
          describe(item),
        );
        return;
      }
      await deps.relayMessage.execute(item.message);
      return;
    case 'status':
      telemetry.count('StatusesReceived', { Status: item.status.status });
      return;
    case 'webhook-error':
      telemetry.count('WebhookErrors', { Code: String(item.error.code) });
      telemetry.warn('WhatsApp reported an error in the webhook', {
        code: item.error.code,
        title: item.error.title,
      });
      return;
    case 'unknown-business-number':
      telemetry.count('UnconfiguredNumberEvents');
      telemetry.warn('Webhook for a phone number missing from the envelope context; acknowledged', {
        metaPhoneNumberId: item.metaPhoneNumberId,
      });
      return;
  }
}

function describe(item: WebhookItem): Record<string, unknown> {
  if (item.kind !== 'message') return { itemKind: item.kind };
  const key = conversationKeyFor(item.message.business, item.message.customer);
  return {
    whatsAppMessageId: item.message.id,
    conversation: hashForLogs(conversationKeyString(key)),
    businessPhoneNumberId: item.message.business.phoneNumberId,
  };
}

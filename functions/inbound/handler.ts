import { makeRelayBatchHandler } from '../../shared/batch/relay-batch-handler.js';
import { decodeWhatsAppWebhook, type WebhookItem } from '../../shared/decoders/whatsapp-webhook-decoder.js';
import { conversationKeyFor, conversationKeyString } from '../../shared/domain/conversation.js';
import type { InboundMessage, MessageStatus } from '../../shared/domain/inbound-message.js';
import { hashForLogs } from '../../shared/domain/tokens.js';
import type { RejectedRecordSink } from '../../shared/ports/rejected-record-sink.js';
import type { Telemetry } from '../../shared/ports/telemetry.js';

/** What the inbound handler needs; built once in index.ts, or by a test. */
export interface InboundHandlerDependencies {
  readonly relayMessage: {
    execute(message: InboundMessage, receipt: { firstDelivery: boolean }): Promise<unknown>;
  };
  readonly relayStatus: { execute(status: MessageStatus): Promise<unknown> };
  readonly isConfiguredNumber: (phoneNumberId: string) => boolean;
  readonly rejectedRecords: RejectedRecordSink;
  readonly telemetry: Telemetry;
  /** Conversations processed at once within a batch. */
  readonly concurrency: number;
  readonly flush?: () => void;
}

/**
 * SQS (← SNS ← EUM Social) → one relay per WhatsApp message, in order per conversation, and one
 * receipt or agent notice per WhatsApp status.
 */
/** A webhook item, and whether its record is on its first delivery (receive count 1). */
type InboundWork = WebhookItem & { readonly firstDelivery: boolean };

export function makeHandler(deps: InboundHandlerDependencies) {
  return makeRelayBatchHandler<InboundWork>({
    decode: (record) => {
      const firstDelivery = Number(record.attributes?.ApproximateReceiveCount ?? '1') <= 1;
      return decodeWhatsAppWebhook(record.body).items.map((item) => ({ ...item, firstDelivery }));
    },
    orderKey: (item) => {
      if (item.kind === 'message') {
        return conversationKeyString(conversationKeyFor(item.message.business, item.message.customer));
      }
      return item.kind === 'status' ? `status#${item.status.messageId}` : `other#${Math.random()}`;
    },
    sortKey: (item) =>
      item.kind === 'message' ? item.message.timestamp : item.kind === 'status' ? item.status.timestamp : 0,
    process: (item) => handleItem(deps, item),
    describe,
    rejectedRecords: deps.rejectedRecords,
    telemetry: deps.telemetry,
    concurrency: deps.concurrency,
    ...(deps.flush ? { flush: deps.flush } : {}),
  });
}

async function handleItem(deps: InboundHandlerDependencies, item: InboundWork): Promise<void> {
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
      await deps.relayMessage.execute(item.message, { firstDelivery: item.firstDelivery });
      return;
    case 'status':
      if (!deps.isConfiguredNumber(item.status.business.phoneNumberId)) {
        telemetry.count('UnconfiguredNumberEvents');
        return;
      }
      await deps.relayStatus.execute(item.status);
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
  if (item.kind === 'status') return { itemKind: 'status', whatsAppMessageId: item.status.messageId };
  if (item.kind !== 'message') return { itemKind: item.kind };
  const key = conversationKeyFor(item.message.business, item.message.customer);
  return {
    whatsAppMessageId: item.message.id,
    conversation: hashForLogs(conversationKeyString(key)),
    businessPhoneNumberId: item.message.business.phoneNumberId,
  };
}

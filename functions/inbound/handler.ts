import { makeRelayBatchHandler } from '../../shared/batch/relay-batch-handler.js';
import { webhookItemOrderKey } from '../../shared/decoders/whatsapp/order-key.js';
import { decodeWhatsAppWebhook, type WebhookItem } from '../../shared/decoders/whatsapp-webhook-decoder.js';
import { accountHealthSeverity } from '../../shared/domain/account-health.js';
import { conversationKeyFor, conversationKeyString } from '../../shared/domain/conversation.js';
import { PermanentDeliveryError } from '../../shared/domain/errors.js';
import type { InboundMessage, MessageStatus } from '../../shared/domain/inbound-message.js';
import { hashForLogs } from '../../shared/domain/tokens.js';
import type { UserPreference } from '../../shared/domain/webhook-notifications.js';
import type { RejectedRecordSink } from '../../shared/ports/rejected-record-sink.js';
import type { Telemetry } from '../../shared/ports/telemetry.js';
import type { InboundReceipt } from '../../shared/use-cases/relay-inbound-message.js';

/** What the inbound handler needs; built once in index.ts, or by a test. */
export interface InboundHandlerDependencies {
  readonly relayMessage: {
    execute(message: InboundMessage, receipt: InboundReceipt): Promise<unknown>;
  };
  readonly relayStatus: { execute(status: MessageStatus): Promise<unknown> };
  /** Records a customer's marketing stop or resume (Meta's `user_preferences`) on their conversation. */
  readonly recordMarketingChoice: { fromWebhook(preference: UserPreference): Promise<unknown> };
  readonly isConfiguredNumber: (phoneNumberId: string) => boolean;
  readonly rejectedRecords: RejectedRecordSink;
  readonly telemetry: Telemetry;
  /** Conversations processed at once within a batch. */
  readonly concurrency: number;
  readonly flush?: () => void;
}

/**
 * A webhook item, whether its record is on its first delivery (receive count 1), and which SQS
 * message it came from (items that are not a conversation's are grouped by it).
 */
type InboundWork = WebhookItem & {
  readonly firstDelivery: boolean;
  readonly sqsMessageId: string;
  readonly eumReceivedAt: number | undefined;
};

/**
 * SQS (← SNS ← EUM Social) → one relay per WhatsApp message, in order per conversation, and one
 * receipt or agent notice per WhatsApp status. Webhook fields that are not customer messages are
 * acknowledged and counted. A malformed item dead-letters its record with its reason while its
 * good siblings are relayed; a redrive of that record is safe, as the relay ledger skips them.
 */
export function makeHandler(deps: InboundHandlerDependencies) {
  return makeRelayBatchHandler<InboundWork>({
    decode: (record) => {
      const firstDelivery = Number(record.attributes?.ApproximateReceiveCount ?? '1') <= 1;
      const webhook = decodeWhatsAppWebhook(record.body);
      return webhook.items.map((item) => ({
        ...item,
        firstDelivery,
        sqsMessageId: record.messageId,
        eumReceivedAt: webhook.eumReceivedAt,
      }));
    },
    // The same keys the ordering stage groups by; the FIFO queue's order is kept (no re-sort).
    orderKey: (item) => webhookItemOrderKey(item) ?? `${item.kind}#${item.sqsMessageId}`,
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
      telemetry.count('InboundEvents', { BusinessNumber: item.message.business.phoneNumberId });
      await deps.relayMessage.execute(item.message, {
        firstDelivery: item.firstDelivery,
        eumReceivedAt: item.eumReceivedAt,
      });
      return;
    case 'status':
      if (!deps.isConfiguredNumber(item.status.business.phoneNumberId)) {
        telemetry.count('UnconfiguredNumberEvents');
        return;
      }
      telemetry.count('InboundEvents', { BusinessNumber: item.status.business.phoneNumberId });
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
    case 'user-preference':
      telemetry.count('WebhookFields', { Field: 'user_preferences' });
      telemetry.count('UserPreferences', {
        Category: item.preference.category,
        Value: item.preference.value,
      });
      if (!deps.isConfiguredNumber(item.preference.business.phoneNumberId)) {
        telemetry.count('UnconfiguredNumberEvents');
        telemetry.warn(
          'Preference for a business number this relay does not serve; acknowledged',
          describe(item),
        );
        return;
      }
      // The guide reads it before sending a marketing template (shared/use-cases/record-marketing-choice.ts).
      await deps.recordMarketingChoice.fromWebhook(item.preference);
      return;
    case 'account-event':
      telemetry.count('WebhookFields', { Field: item.event.field });
      telemetry.count('AccountEvents', { Field: item.event.field, Event: item.event.event });
      telemetry.count('AccountHealthEvents', { Severity: accountHealthSeverity(item.event) });
      telemetry.warn('WhatsApp reported a change to the business number or account', {
        ...describe(item),
        severity: accountHealthSeverity(item.event),
      });
      return;
    case 'other-field':
      telemetry.count('WebhookFields', { Field: item.field });
      return;
    case 'malformed':
      telemetry.count('MalformedItems', { Reason: item.reason });
      // The batch handler dead-letters the record with this reason (or retries it if the DLQ is
      // unreachable) and carries on with the record's other items.
      throw new PermanentDeliveryError(`A ${item.part} could not be decoded: ${item.detail}`, item.reason);
  }
}

function describe(item: InboundWork): Record<string, unknown> {
  switch (item.kind) {
    case 'message': {
      const key = conversationKeyFor(item.message.business, item.message.customer);
      return {
        whatsAppMessageId: item.message.id,
        conversation: hashForLogs(conversationKeyString(key)),
        businessPhoneNumberId: item.message.business.phoneNumberId,
      };
    }
    case 'status':
      return { itemKind: 'status', whatsAppMessageId: item.status.messageId };
    case 'user-preference':
      return {
        itemKind: item.kind,
        category: item.preference.category,
        value: item.preference.value,
        businessPhoneNumberId: item.preference.business.phoneNumberId,
      };
    case 'account-event':
      return { itemKind: item.kind, field: item.event.field, event: item.event.event };
    case 'malformed':
      return { itemKind: item.kind, part: item.part, reason: item.reason, sqsMessageId: item.sqsMessageId };
    default:
      return { itemKind: item.kind };
  }
}

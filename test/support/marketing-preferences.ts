import { ConnectParticipantClient } from '@aws-sdk/client-connectparticipant';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import {
  BUSINESS,
  changeMetadata,
  eumEnvelope,
  sqsEvent,
  sqsRecordFor,
  webhookChange,
} from './whatsapp-events.js';

/** Who a `user_preferences` element names: the number, the BSUID, or both (Meta's BSUID additions). */
export interface PreferenceCustomer {
  readonly waId?: string;
  readonly userId?: string;
}

/**
 * Meta's `user_preferences` webhook (reference/user_preferences, updated 2026-05-21) for one
 * customer, as EUM Social publishes it and the inbound queue delivers it.
 */
export function userPreferenceEvent(
  customer: PreferenceCustomer,
  value: 'stop' | 'resume',
  timestampSeconds: number,
): SQSEvent {
  const change = webhookChange('user_preferences', {
    messaging_product: 'whatsapp',
    metadata: changeMetadata(BUSINESS),
    ...(customer.waId ? { contacts: [{ profile: { name: 'Sam Taylor' }, wa_id: customer.waId }] } : {}),
    user_preferences: [
      {
        ...(customer.waId ? { wa_id: customer.waId } : {}),
        ...(customer.userId ? { user_id: customer.userId } : {}),
        detail:
          value === 'stop'
            ? 'User requested to stop marketing messages'
            : 'User requested to resume marketing messages',
        category: 'marketing_messages',
        value,
        timestamp: timestampSeconds,
      },
    ],
  });
  return sqsEvent(sqsRecordFor(eumEnvelope({ changes: [change] })));
}

/**
 * The real inbound Lambda entry on the conversation table of a running template environment
 * (call it after startTemplateEnvironment), so a test can feed it Meta's preference webhooks and
 * then use the guide. Connect participant calls and the DLQ are answered at the SDK boundary.
 */
export async function inboundOnTemplateTable(): Promise<{
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
  restore(): void;
}> {
  const sqs = mockClient(SQSClient);
  sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-message', $metadata: {} });
  const participant = mockClient(ConnectParticipantClient);
  const settings: Record<string, string> = {
    STREAMING_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:connect-chat-streaming',
    DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111122223333/whatsapp-inbound-dlq',
    MEDIA_BUCKET_NAME: 'relay-media-111122223333',
    BUSINESS_NUMBERS: JSON.stringify([
      { phoneNumberId: BUSINESS.phoneNumberId, inboundFlowId: 'f1f2f3f4-0000-1111-2222-333344445555' },
    ]),
  };
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
  vi.resetModules();
  const module = await import('../../functions/inbound/index.js');
  return {
    handler: module.handler,
    restore() {
      sqs.restore();
      participant.restore();
    },
  };
}

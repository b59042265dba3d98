import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** A business number as EUM Social and Meta identify it (fictional ids in the real formats). */
export const BUSINESS = {
  metaPhoneNumberId: '109876543210987',
  phoneNumberArn:
    'arn:aws:social-messaging:us-east-1:111122223333:phone-number-id/0123456789abcdef0123456789abcdef',
  phoneNumberId: 'phone-number-id-0123456789abcdef0123456789abcdef',
  displayPhoneNumber: '15550001111',
  wabaId: '209876543210987',
} as const;

export const SECOND_BUSINESS = {
  metaPhoneNumberId: '109876543219999',
  phoneNumberArn:
    'arn:aws:social-messaging:us-east-1:111122223333:phone-number-id/fedcba9876543210fedcba9876543210',
  phoneNumberId: 'phone-number-id-fedcba9876543210fedcba9876543210',
  displayPhoneNumber: '15550002222',
  wabaId: '209876543210987',
} as const;

export type BusinessFixture = typeof BUSINESS | typeof SECOND_BUSINESS;

let sequence = 0;

/** A wamid in Meta's shape: unique per call. */
export function wamid(): string {
  sequence += 1;
  return `wamid.HBgLMTU1NTAxMjM0NTYVAgASGBQz${String(sequence).padStart(8, '0')}AA==`;
}

/** A Meta text message as it sits in `value.messages[]`. */
export function textMessage(options: { from: string; body: string; id?: string; timestamp?: number }) {
  return {
    from: options.from,
    id: options.id ?? wamid(),
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    type: 'text',
    text: { body: options.body },
  };
}

/** A Meta media message (image, video, audio, document, sticker) as it sits in `value.messages[]`. */
export function mediaMessage(options: {
  from: string;
  type: 'image' | 'video' | 'audio' | 'document' | 'sticker';
  media: {
    id: string;
    mime_type: string;
    caption?: string;
    filename?: string;
    voice?: boolean;
    animated?: boolean;
  };
  id?: string;
  timestamp?: number;
}) {
  return {
    from: options.from,
    id: options.id ?? wamid(),
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    type: options.type,
    [options.type]: { sha256: 'bm90LWNoZWNrZWQ=', ...options.media },
  };
}

/** The EUM Social envelope (the SNS `Message`), with the webhook entry as a JSON string. */
export function eumEnvelope(options: {
  messages?: unknown[];
  statuses?: unknown[];
  errors?: unknown[];
  contacts?: unknown[];
  business?: BusinessFixture;
  /** Leave the business number out of the envelope context, as for a number EUM does not know. */
  omitContext?: boolean;
  profileName?: string;
  messageId?: string;
  /** Replaces the entry's single `messages` change, e.g. with other webhook fields. */
  changes?: unknown[];
  /** Leave `MetaPhoneNumberIds` out of the context altogether, as for WABA-level events. */
  omitPhoneNumberIds?: boolean;
}) {
  const business = options.business ?? BUSINESS;
  const firstFrom = (options.messages?.[0] as { from?: string } | undefined)?.from;
  const contacts =
    options.contacts ??
    (firstFrom ? [{ profile: { name: options.profileName ?? 'Ana Souza' }, wa_id: firstFrom }] : undefined);
  const entry = {
    id: business.wabaId,
    changes: options.changes ?? [
      {
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: {
            display_phone_number: business.displayPhoneNumber,
            phone_number_id: business.metaPhoneNumberId,
          },
          ...(contacts ? { contacts } : {}),
          ...(options.messages ? { messages: options.messages } : {}),
          ...(options.statuses ? { statuses: options.statuses } : {}),
          ...(options.errors ? { errors: options.errors } : {}),
        },
      },
    ],
  };
  return {
    context: {
      MetaWabaIds: [
        { wabaId: business.wabaId, arn: 'arn:aws:social-messaging:us-east-1:111122223333:waba/0a1b2c3d' },
      ],
      ...(options.omitPhoneNumberIds
        ? {}
        : {
            MetaPhoneNumberIds: options.omitContext
              ? []
              : [{ metaPhoneNumberId: business.metaPhoneNumberId, arn: business.phoneNumberArn }],
          }),
    },
    whatsAppWebhookEntry: JSON.stringify(entry),
    aws_account_id: '111122223333',
    message_timestamp: new Date().toISOString(),
    ...(options.messageId ? { messageId: options.messageId } : {}),
  };
}

/** One `changes[]` element of a webhook entry: Meta's `{ field, value }`. */
export function webhookChange(field: string, value: unknown) {
  return { field, value };
}

/** The `value.metadata` Meta puts on phone-number-level changes. */
export function changeMetadata(business: BusinessFixture = BUSINESS) {
  return {
    display_phone_number: business.displayPhoneNumber,
    phone_number_id: business.metaPhoneNumberId,
  };
}

/** An SQS record carrying an SNS notification, as the inbound queue delivers it. */
export function sqsRecordFor(
  message: unknown,
  options: { messageId?: string; receiveCount?: number } = {},
): SQSRecord {
  sequence += 1;
  const messageId = options.messageId ?? `sqs-${sequence}-${Math.random().toString(36).slice(2, 10)}`;
  const body = JSON.stringify({
    Type: 'Notification',
    MessageId: `sns-${messageId}`,
    TopicArn: 'arn:aws:sns:us-east-1:111122223333:whatsapp-inbound',
    Message: typeof message === 'string' ? message : JSON.stringify(message),
    Timestamp: new Date().toISOString(),
    SignatureVersion: '1',
  });
  return rawSqsRecord(body, messageId, options.receiveCount);
}

/** An SQS record with an arbitrary body (for malformed input). */
export function rawSqsRecord(body: string, messageId = `sqs-raw-${++sequence}`, receiveCount = 1): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: 'not-checked',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:whatsapp-inbound',
    awsRegion: 'us-east-1',
  };
}

export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

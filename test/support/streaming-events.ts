import type { SQSRecord } from 'aws-lambda';
import { rawSqsRecord } from './whatsapp-events.js';

let sequence = 0;

export interface StreamingItemOptions {
  readonly initialContactId: string;
  readonly contactId?: string;
  readonly type?: 'MESSAGE' | 'EVENT' | 'ATTACHMENT';
  readonly contentType: string;
  readonly content?: string;
  readonly role?: 'AGENT' | 'CUSTOMER' | 'SYSTEM' | 'CUSTOM_BOT' | 'SUPERVISOR';
  readonly visibility?: 'CUSTOMER' | 'AGENT' | 'ALL';
  readonly displayName?: string;
  readonly id?: string;
  readonly absoluteTime?: Date;
  readonly attachments?: {
    AttachmentId: string;
    AttachmentName: string;
    ContentType: string;
    Status: string;
  }[];
}

/**
 * An SQS record carrying the SNS notification Connect chat streaming publishes, in the documented
 * shape: the item as a JSON string in `Message`, and Connect's message attributes.
 */
export function streamingRecord(options: StreamingItemOptions): SQSRecord {
  sequence += 1;
  const contactId = options.contactId ?? options.initialContactId;
  const item = {
    AbsoluteTime: (options.absoluteTime ?? new Date()).toISOString(),
    ...(options.content !== undefined ? { Content: options.content } : {}),
    ContentType: options.contentType,
    Id: options.id ?? `item-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
    Type: options.type ?? (options.contentType.includes('.event.') ? 'EVENT' : 'MESSAGE'),
    ParticipantId: `participant-${options.role ?? 'SYSTEM'}`,
    DisplayName: options.displayName ?? (options.role === 'AGENT' ? 'Jane' : 'SYSTEM_MESSAGE'),
    ...(options.role ? { ParticipantRole: options.role } : {}),
    InitialContactId: options.initialContactId,
    ContactId: contactId,
    ...(options.attachments ? { Attachments: options.attachments } : {}),
  };
  const attributes: Record<string, { Type: string; Value: string }> = {
    InitialContactId: { Type: 'String', Value: options.initialContactId },
    MessageVisibility: { Type: 'String', Value: options.visibility ?? 'ALL' },
    Type: { Type: 'String', Value: item.Type },
    AccountId: { Type: 'String', Value: '111122223333' },
    ContentType: { Type: 'String', Value: options.contentType },
    InstanceId: { Type: 'String', Value: 'a1b2c3d4-5678-90ab-cdef-111122223333' },
    ContactId: { Type: 'String', Value: contactId },
    ...(options.role ? { ParticipantRole: { Type: 'String', Value: options.role } } : {}),
  };
  const body = JSON.stringify({
    Type: 'Notification',
    MessageId: `sns-stream-${sequence}`,
    TopicArn: 'arn:aws:sns:us-east-1:111122223333:connect-chat-streaming',
    Message: JSON.stringify(item),
    Timestamp: new Date().toISOString(),
    SignatureVersion: '1',
    MessageAttributes: attributes,
  });
  return rawSqsRecord(body, `sqs-stream-${sequence}`);
}

/** Shorthand for an agent's plain text message. */
export function agentText(
  initialContactId: string,
  text: string,
  extra: Partial<StreamingItemOptions> = {},
): SQSRecord {
  return streamingRecord({
    initialContactId,
    contentType: 'text/plain',
    content: text,
    role: 'AGENT',
    ...extra,
  });
}

import * as z from 'zod';
import { MalformedEventError } from '../domain/errors.js';
import type { StreamingItem } from '../domain/streaming-item.js';
import { parseJson, parseWith } from './parsing.js';

/**
 * Decodes one SQS record from the streaming queue: SQS body → SNS notification (with Connect's
 * message attributes) → the chat item JSON in `Message`. Unknown fields are tolerated; the
 * attributes are used where the item omits a field (and for MessageVisibility, which only they carry).
 */

const attributeSchema = z.object({ Type: z.string().optional(), Value: z.string() });

const notificationSchema = z.object({
  Type: z.literal('Notification'),
  MessageId: z.string(),
  Message: z.string(),
  MessageAttributes: z.record(z.string(), attributeSchema).optional(),
});

const itemSchema = z.object({
  Id: z.string().min(1),
  Type: z.string().min(1),
  ContentType: z.string().optional(),
  Content: z.string().optional(),
  ParticipantRole: z.string().optional(),
  ParticipantId: z.string().optional(),
  DisplayName: z.string().optional(),
  InitialContactId: z.string().optional(),
  ContactId: z.string().optional(),
  AbsoluteTime: z.string().optional(),
  Attachments: z
    .array(
      z.object({
        AttachmentId: z.string(),
        AttachmentName: z.string().optional(),
        ContentType: z.string().optional(),
        Status: z.string().optional(),
      }),
    )
    .optional(),
});

export function decodeStreamingRecord(body: string): StreamingItem {
  const notification = parseWith(notificationSchema, parseJson(body, 'BodyNotJson'), 'NotSnsNotification');
  const item = parseWith(itemSchema, parseJson(notification.Message, 'ItemNotJson'), 'ItemInvalid');
  const attribute = (name: string) => notification.MessageAttributes?.[name]?.Value;

  const initialContactId = item.InitialContactId ?? attribute('InitialContactId') ?? item.ContactId;
  const contactId = item.ContactId ?? attribute('ContactId') ?? initialContactId;
  if (!initialContactId || !contactId) throw new MalformedEventError('Item has no contact id', 'NoContactId');
  const contentType = item.ContentType ?? attribute('ContentType');
  if (!contentType) throw new MalformedEventError('Item has no ContentType', 'NoContentType');
  const absoluteTime = item.AbsoluteTime ? Date.parse(item.AbsoluteTime) : Number.NaN;
  const participantRole = item.ParticipantRole ?? attribute('ParticipantRole');
  const visibility = attribute('MessageVisibility');

  return {
    id: item.Id,
    type: item.Type,
    contentType,
    initialContactId,
    contactId,
    absoluteTime: Number.isNaN(absoluteTime) ? 0 : absoluteTime,
    attachments: (item.Attachments ?? []).map((attachment) => ({
      attachmentId: attachment.AttachmentId,
      attachmentName: attachment.AttachmentName ?? 'attachment',
      contentType: attachment.ContentType ?? 'application/octet-stream',
      ...(attachment.Status ? { status: attachment.Status } : {}),
    })),
    ...(item.Content !== undefined ? { content: item.Content } : {}),
    ...(participantRole ? { participantRole } : {}),
    ...(item.ParticipantId ? { participantId: item.ParticipantId } : {}),
    ...(item.DisplayName ? { displayName: item.DisplayName } : {}),
    ...(visibility ? { visibility } : {}),
  };
}

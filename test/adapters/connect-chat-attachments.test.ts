import {
  AccessDeniedException,
  CompleteAttachmentUploadCommand,
  ConnectParticipantClient,
  ServiceQuotaExceededException,
  StartAttachmentUploadCommand,
  ThrottlingException,
} from '@aws-sdk/client-connectparticipant';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectChatAttachments, type HttpPut } from '../../shared/adapters/connect-chat-attachments.js';
import { RetryableError } from '../../shared/domain/errors.js';
import { idempotencyToken } from '../../shared/domain/tokens.js';
import { ConnectionRejectedError } from '../../shared/ports/chat-service.js';
import { AttachmentRejectedError } from '../../shared/ports/media-transfer.js';

const participant = mockClient(ConnectParticipantClient);
const request = {
  connectionToken: 'connection-1',
  name: 'invoice.pdf',
  contentType: 'application/pdf',
  bytes: new Uint8Array([1, 2, 3, 4]),
  clientToken: 'token-1',
};
const meta = { httpStatusCode: 400 };

describe('ConnectChatAttachments', () => {
  let put: ReturnType<typeof vi.fn<HttpPut>>;

  beforeEach(() => {
    participant.reset();
    participant.on(StartAttachmentUploadCommand).resolves({
      AttachmentId: 'att-1',
      UploadMetadata: {
        Url: 'https://bucket.s3.amazonaws.com/upload?sig=1',
        UrlExpiry: '2026-11-21T10:05:00Z',
        HeadersToInclude: { 'Content-Type': 'application/pdf', 'x-amz-meta-contact_id': 'c-1' },
      },
    });
    participant.on(CompleteAttachmentUploadCommand).resolves({});
    put = vi.fn<HttpPut>(async () => ({ ok: true, status: 200 }));
  });

  it('starts the upload, PUTs the bytes with Connect’s headers, then completes it', async () => {
    const result = await new ConnectChatAttachments(new ConnectParticipantClient({}), put).upload(request);

    expect(result).toEqual({ attachmentId: 'att-1' });
    expect(participant).toHaveReceivedCommandWith(StartAttachmentUploadCommand, {
      ConnectionToken: 'connection-1',
      ContentType: 'application/pdf',
      AttachmentSizeInBytes: 4,
      AttachmentName: 'invoice.pdf',
      ClientToken: 'token-1',
    });
    expect(put).toHaveBeenCalledWith('https://bucket.s3.amazonaws.com/upload?sig=1', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/pdf', 'x-amz-meta-contact_id': 'c-1' },
      body: request.bytes,
    });
    expect(participant).toHaveReceivedCommandWith(CompleteAttachmentUploadCommand, {
      ConnectionToken: 'connection-1',
      AttachmentIds: ['att-1'],
      ClientToken: idempotencyToken('token-1', 'complete'),
    });
  });

  it('reports a refused connection token (expired token or ended chat)', async () => {
    participant.on(StartAttachmentUploadCommand).rejects(
      new AccessDeniedException({
        message: 'denied',
        Message: 'denied',
        $metadata: { httpStatusCode: 403 },
      }),
    );

    await expect(
      new ConnectChatAttachments(new ConnectParticipantClient({}), put).upload(request),
    ).rejects.toBeInstanceOf(ConnectionRejectedError);
  });

  it('treats the attachment quota as permanent, throttling as retryable', async () => {
    const adapter = new ConnectChatAttachments(new ConnectParticipantClient({}), put);
    participant
      .on(StartAttachmentUploadCommand)
      .rejectsOnce(new ServiceQuotaExceededException({ message: 'quota', Message: 'quota', $metadata: meta }))
      .rejectsOnce(
        new ThrottlingException({ message: 'slow', Message: 'slow', $metadata: { httpStatusCode: 429 } }),
      );

    await expect(adapter.upload(request)).rejects.toBeInstanceOf(AttachmentRejectedError);
    await expect(adapter.upload(request)).rejects.toMatchObject({
      name: 'RetryableError',
      reason: 'StartAttachmentUpload:ThrottlingException',
    });
  });

  it.each([
    [503, RetryableError],
    [429, RetryableError],
    [403, RetryableError],
    [400, AttachmentRejectedError],
  ])('maps an upload answered %i to %s, and does not complete it', async (status, expected) => {
    put.mockResolvedValueOnce({ ok: false, status });

    await expect(
      new ConnectChatAttachments(new ConnectParticipantClient({}), put).upload(request),
    ).rejects.toBeInstanceOf(expected);
    expect(participant).not.toHaveReceivedCommand(CompleteAttachmentUploadCommand);
  });

  it('retries after a network failure of the upload', async () => {
    put.mockRejectedValueOnce(new TypeError('fetch failed'));

    await expect(
      new ConnectChatAttachments(new ConnectParticipantClient({}), put).upload(request),
    ).rejects.toMatchObject({
      name: 'RetryableError',
      reason: 'AttachmentUpload:NetworkError',
    });
  });
});

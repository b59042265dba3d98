import {
  AccessDeniedException,
  CompleteAttachmentUploadCommand,
  ConflictException,
  ConnectParticipantClient,
  GetAttachmentCommand,
  ServiceQuotaExceededException,
  StartAttachmentUploadCommand,
  ThrottlingException,
  ValidationException,
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

  describe('when Connect answers that the attachment is already being uploaded (ConflictException)', () => {
    const conflict = () =>
      new ConflictException({
        message: 'An attachment with that identifier is already being uploaded',
        Message: 'An attachment with that identifier is already being uploaded',
        $metadata: { httpStatusCode: 409 },
      });
    const notComplete = () =>
      new ValidationException({
        message: 'Attachment is not complete',
        Message: 'Attachment is not complete',
        $metadata: meta,
      });
    let pauses: number[];
    const adapter = () =>
      new ConnectChatAttachments(new ConnectParticipantClient({}), put, {
        sleep: async (ms) => {
          pauses.push(ms);
        },
      });

    beforeEach(() => {
      pauses = [];
      participant.on(CompleteAttachmentUploadCommand).rejects(conflict());
    });

    it('counts the attachment as delivered once Connect shows the other attempt completed it', async () => {
      // Prepare
      participant
        .on(GetAttachmentCommand)
        .rejectsOnce(notComplete())
        .resolves({ Url: 'https://attachments.example.com/att-1', AttachmentSizeInBytes: 4 });

      // Act
      const result = await adapter().upload(request);

      // Assess
      expect(result).toEqual({ attachmentId: 'att-1' });
      expect(participant).toHaveReceivedCommandWith(GetAttachmentCommand, {
        ConnectionToken: 'connection-1',
        AttachmentId: 'att-1',
      });
      expect(participant).toHaveReceivedCommandTimes(GetAttachmentCommand, 2);
    });

    it('waits a little in the invocation, then retries the message later with a clear reason', async () => {
      // Prepare
      participant.on(GetAttachmentCommand).rejects(notComplete());

      // Act
      const outcome = adapter().upload(request);

      // Assess
      await expect(outcome).rejects.toBeInstanceOf(RetryableError);
      await expect(outcome).rejects.toMatchObject({ reason: 'AttachmentUploadInProgress' });
      expect(participant).toHaveReceivedCommandTimes(GetAttachmentCommand, pauses.length + 1);
      expect(pauses.length).toBeGreaterThan(0);
      expect(pauses.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(5_000);
    });

    it('also retries later when the re-check itself is throttled or refused', async () => {
      // Prepare
      participant
        .on(GetAttachmentCommand)
        .rejects(
          new ThrottlingException({ message: 'slow', Message: 'slow', $metadata: { httpStatusCode: 429 } }),
        );

      // Act
      const outcome = adapter().upload(request);

      // Assess
      await expect(outcome).rejects.toMatchObject({ reason: 'AttachmentUploadInProgress' });
    });
  });
});

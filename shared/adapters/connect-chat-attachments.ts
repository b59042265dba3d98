import {
  CompleteAttachmentUploadCommand,
  type ConnectParticipantClient,
  GetAttachmentCommand,
  StartAttachmentUploadCommand,
} from '@aws-sdk/client-connectparticipant';
import { RetryableError } from '../domain/errors.js';
import { idempotencyToken } from '../domain/tokens.js';
import { ConnectionRejectedError } from '../ports/chat-service.js';
import { AttachmentRejectedError, type ChatAttachments } from '../ports/media-transfer.js';
import { classifyAwsError, errorName } from './aws-errors.js';

/** The slice of `fetch` the upload needs; injected so tests can stand in for Connect's upload URL. */
export type HttpPut = (
  url: string,
  init: { method: 'PUT'; headers: Record<string, string>; body: Uint8Array },
) => Promise<{ ok: boolean; status: number }>;

/** Connect errors that retrying the same upload will not fix. */
const PERMANENT_ERRORS = new Set(['ServiceQuotaExceededException', 'ValidationException']);

/** Pauses before each re-check of an attachment another attempt is completing (2 s in all). */
const IN_PROGRESS_RECHECK_PAUSES_MS = [0, 250, 750, 1_000];

export interface ConnectChatAttachmentsOptions {
  /** Waits between re-checks (injected so tests do not wait). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Connect participant attachments: StartAttachmentUpload → HTTP PUT to the pre-signed URL with
 * the headers Connect asks for → CompleteAttachmentUpload. Both calls carry ClientTokens derived
 * from the caller's token, so a retried upload lands once.
 *
 * "Already being uploaded" (CompleteAttachmentUpload's ConflictException [bc-participant]) means
 * another attempt, such as the SDK's own retry of a Complete whose answer was lost or a redelivery
 * of the same message, is completing this attachment. That is not a failure: the attachment is
 * re-checked with GetAttachment ("a pre-signed URL for download of a completed attachment") for
 * about two seconds, and counts as delivered as soon as Connect hands out its URL. If it is still
 * not complete, RetryableError `AttachmentUploadInProgress` sends the message back to the queue,
 * where it waits a full visibility timeout (six function timeouts) before the next receive; that
 * receive completes with the same ClientToken or finds the attachment complete.
 */
export class ConnectChatAttachments implements ChatAttachments {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly participant: ConnectParticipantClient,
    private readonly put: HttpPut,
    options: ConnectChatAttachmentsOptions = {},
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async upload(request: {
    connectionToken: string;
    name: string;
    contentType: string;
    bytes: Uint8Array;
    clientToken: string;
  }): Promise<{ attachmentId: string }> {
    const started = await this.call('StartAttachmentUpload', () =>
      this.participant.send(
        new StartAttachmentUploadCommand({
          ConnectionToken: request.connectionToken,
          ContentType: request.contentType,
          AttachmentSizeInBytes: request.bytes.byteLength,
          AttachmentName: request.name,
          ClientToken: request.clientToken,
        }),
      ),
    );
    const attachmentId = started.AttachmentId;
    const url = started.UploadMetadata?.Url;
    if (!attachmentId || !url)
      throw new Error('StartAttachmentUpload returned no AttachmentId or upload URL');

    await this.putBytes(url, started.UploadMetadata?.HeadersToInclude ?? {}, request.bytes);

    try {
      await this.call('CompleteAttachmentUpload', () =>
        this.participant.send(
          new CompleteAttachmentUploadCommand({
            ConnectionToken: request.connectionToken,
            AttachmentIds: [attachmentId],
            ClientToken: idempotencyToken(request.clientToken, 'complete'),
          }),
        ),
      );
    } catch (error) {
      if (errorName(error) !== 'ConflictException') throw error;
      await this.awaitOtherCompletion(request.connectionToken, attachmentId, error);
    }
    return { attachmentId };
  }

  /** Returns once Connect shows the attachment complete; throws RetryableError if it does not soon. */
  private async awaitOtherCompletion(connectionToken: string, attachmentId: string, conflict: unknown) {
    let lastAnswer = 'ConflictException';
    for (const pause of IN_PROGRESS_RECHECK_PAUSES_MS) {
      if (pause) await this.sleep(pause);
      try {
        const found = await this.participant.send(
          new GetAttachmentCommand({ ConnectionToken: connectionToken, AttachmentId: attachmentId }),
        );
        if (found.Url) return;
      } catch (error) {
        // Whatever Connect answers for an incomplete attachment (UNCONFIRMED), it is not "complete".
        lastAnswer = errorName(error);
      }
    }
    throw new RetryableError(
      `Attachment ${attachmentId} is still being uploaded by another attempt (GetAttachment: ${lastAnswer})`,
      'AttachmentUploadInProgress',
      { cause: conflict },
    );
  }

  private async putBytes(url: string, headers: Record<string, string>, body: Uint8Array): Promise<void> {
    let response: { ok: boolean; status: number };
    try {
      response = await this.put(url, { method: 'PUT', headers: { ...headers }, body });
    } catch (error) {
      // Network failures (DNS, reset, timeout) are worth another attempt.
      throw new RetryableError('Attachment upload PUT failed', 'AttachmentUpload:NetworkError', {
        cause: error,
      });
    }
    if (response.ok) return;
    // 403 is most often an expired pre-signed URL; StartAttachmentUpload on retry hands out a new one.
    if (response.status >= 500 || response.status === 429 || response.status === 403) {
      throw new RetryableError(
        `Attachment upload PUT returned ${response.status}`,
        `AttachmentUpload:${response.status}`,
      );
    }
    throw new AttachmentRejectedError(`upload returned HTTP ${response.status}`);
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const name = errorName(error);
      // AccessDenied means an expired connection token or an ended chat; the caller tells them apart.
      if (name === 'AccessDeniedException') throw new ConnectionRejectedError({ cause: error });
      if (PERMANENT_ERRORS.has(name)) throw new AttachmentRejectedError(name, { cause: error });
      throw classifyAwsError(operation, error);
    }
  }
}

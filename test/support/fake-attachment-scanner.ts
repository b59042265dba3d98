import {
  GetAttachmentCommand,
  GetTranscriptCommand,
  ValidationException,
} from '@aws-sdk/client-connectparticipant';
import type { FakeConnect } from './fake-connect.js';

export type ScanStatus = 'IN_PROGRESS' | 'APPROVED' | 'REJECTED';

interface ScannedAttachment {
  readonly itemId: string;
  readonly attachmentId: string;
  readonly name: string;
  readonly contentType: string;
  /** What the next transcript reads return, in order; the last one stays. */
  readonly statuses: ScanStatus[];
  /** The scan's state as of the last read. */
  current: ScanStatus;
}

/**
 * Connect's attachment scanner for files an agent sends, on top of FakeConnect. GetTranscript
 * shows each attachment's Status (the only place the participant API exposes it: botocore
 * connectparticipant `Item.Attachments[].Status`, ArtifactStatus APPROVED | REJECTED | IN_PROGRESS).
 * GetAttachment documents a URL only "of a completed attachment"; what it answers before then is
 * not documented, so this fake refuses it, and a relay that asks too early fails the test.
 */
export class FakeAttachmentScanner {
  private readonly attachments = new Map<string, ScannedAttachment>();
  readonly transcriptReads: { itemId?: string }[] = [];

  constructor(private readonly connect: FakeConnect) {
    connect.participantMock.on(GetTranscriptCommand).callsFake(async (input) => {
      this.transcriptReads.push({ itemId: input.StartPosition?.Id });
      const items = [...this.attachments.values()]
        .filter((attachment) => !input.StartPosition?.Id || attachment.itemId === input.StartPosition.Id)
        .map((attachment) => {
          const status =
            (attachment.statuses.length > 1 ? attachment.statuses.shift() : attachment.statuses[0]) ??
            attachment.current;
          attachment.current = status;
          return {
            Id: attachment.itemId,
            Type: 'ATTACHMENT',
            ParticipantRole: 'AGENT',
            AbsoluteTime: new Date().toISOString(),
            Attachments: [
              {
                AttachmentId: attachment.attachmentId,
                AttachmentName: attachment.name,
                ContentType: attachment.contentType,
                Status: status,
              },
            ],
          };
        });
      return { InitialContactId: input.ContactId, Transcript: items, $metadata: {} };
    });
    connect.participantMock.on(GetAttachmentCommand).callsFake(async (input) => {
      const attachment = input.AttachmentId ? this.attachments.get(input.AttachmentId) : undefined;
      if (attachment && attachment.current !== 'APPROVED') {
        throw new ValidationException({
          Message: 'Attachment is not available',
          message: 'Attachment is not available',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return this.connect.invoke('GetAttachment', input as Record<string, unknown>);
    });
  }

  /** An agent's attachment whose scan answers `statuses` on successive transcript reads. */
  scan(
    attachment: Omit<ScannedAttachment, 'statuses' | 'current'>,
    ...statuses: [ScanStatus, ...ScanStatus[]]
  ): void {
    this.attachments.set(attachment.attachmentId, { ...attachment, statuses, current: statuses[0] });
  }

  /** The scan finishes with `status` from now on. */
  finish(attachmentId: string, status: ScanStatus): void {
    const attachment = this.attachments.get(attachmentId);
    if (!attachment) throw new Error(`No scanned attachment ${attachmentId}`);
    attachment.statuses.splice(0, attachment.statuses.length, status);
    attachment.current = status;
  }
}

import type { ConnectParticipantClient } from '@aws-sdk/client-connectparticipant';
import { S3Client } from '@aws-sdk/client-s3';
import { SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { TranscribeClient } from '@aws-sdk/client-transcribe';
import { ConnectChatAttachments } from '../../shared/adapters/connect-chat-attachments.js';
import { EumS3MediaSource } from '../../shared/adapters/eum-s3-media-source.js';
import { OggOpusWavConverter } from '../../shared/adapters/ogg-opus-wav-converter.js';
import { TranscribeJobs } from '../../shared/adapters/transcribe-jobs.js';
import { WebpPngConverter } from '../../shared/adapters/webp-png-converter.js';
import { INBOUND_MEDIA_PREFIX, TRANSCRIPT_PREFIX } from '../../shared/config/media-bucket.js';
import type { TranscriptionSettings } from '../../shared/domain/voice-transcription.js';
import type { Telemetry } from '../../shared/ports/telemetry.js';
import type { TranscriptJobStore } from '../../shared/ports/transcription.js';
import { AttachCustomerMedia, type MediaAttacher } from '../../shared/use-cases/attach-customer-media.js';
import { StartVoiceTranscription } from '../../shared/use-cases/start-voice-transcription.js';

/**
 * The media path's clients and converter. index.ts imports this module on the first media
 * message only: S3, the Opus decoder and the WebP decoder would otherwise add about a quarter to every cold start.
 */
export function createMediaAttacher(deps: {
  readonly participant: ConnectParticipantClient;
  readonly clientOptions: { maxAttempts: number; retryMode: 'standard' | 'adaptive' };
  readonly bucketName: string;
  readonly telemetry: Telemetry;
  /** Voice-note transcription: per-number settings, this stack's job prefix, the job records. */
  readonly transcription: {
    readonly settingsFor: (phoneNumberId: string) => TranscriptionSettings | undefined;
    readonly jobPrefix: string;
    readonly records: TranscriptJobStore;
    readonly anyEnabled: boolean;
  };
}): MediaAttacher {
  const s3 = new S3Client(deps.clientOptions);
  const { transcription } = deps;
  return new AttachCustomerMedia({
    media: new EumS3MediaSource(new SocialMessagingClient(deps.clientOptions), s3, {
      bucketName: deps.bucketName,
      keyPrefix: INBOUND_MEDIA_PREFIX,
    }),
    // Global fetch, looked up per call: Node 22 has it, and tests can stand in for Connect's URL.
    attachments: new ConnectChatAttachments(deps.participant, (url, init) => fetch(url, init)),
    voice: new OggOpusWavConverter(),
    stickers: new WebpPngConverter(),
    telemetry: deps.telemetry,
    ...(transcription.anyEnabled
      ? {
          transcription: new StartVoiceTranscription({
            jobs: new TranscribeJobs(new TranscribeClient(deps.clientOptions), s3, {
              bucketName: deps.bucketName,
              transcriptPrefix: TRANSCRIPT_PREFIX,
            }),
            records: transcription.records,
            telemetry: deps.telemetry,
            settingsFor: transcription.settingsFor,
            jobPrefix: transcription.jobPrefix,
          }),
        }
      : {}),
  });
}

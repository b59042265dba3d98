import type { ConnectParticipantClient } from '@aws-sdk/client-connectparticipant';
import { S3Client } from '@aws-sdk/client-s3';
import { SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { ConnectChatAttachments } from '../../shared/adapters/connect-chat-attachments.js';
import { EumS3MediaSource } from '../../shared/adapters/eum-s3-media-source.js';
import { OggOpusWavConverter } from '../../shared/adapters/ogg-opus-wav-converter.js';
import { WebpPngConverter } from '../../shared/adapters/webp-png-converter.js';
import { INBOUND_MEDIA_PREFIX } from '../../shared/config/media-bucket.js';
import type { Telemetry } from '../../shared/ports/telemetry.js';
import { AttachCustomerMedia, type MediaAttacher } from '../../shared/use-cases/attach-customer-media.js';

/**
 * The media path's clients and converter. index.ts imports this module on the first media
 * message only: S3, the Opus decoder and the WebP decoder would otherwise add about a quarter to every cold start.
 */
export function createMediaAttacher(deps: {
  readonly participant: ConnectParticipantClient;
  readonly clientOptions: { maxAttempts: number; retryMode: 'standard' | 'adaptive' };
  readonly bucketName: string;
  readonly telemetry: Telemetry;
}): MediaAttacher {
  return new AttachCustomerMedia({
    media: new EumS3MediaSource(
      new SocialMessagingClient(deps.clientOptions),
      new S3Client(deps.clientOptions),
      { bucketName: deps.bucketName, keyPrefix: INBOUND_MEDIA_PREFIX },
    ),
    // Global fetch, looked up per call: Node 22 has it, and tests can stand in for Connect's URL.
    attachments: new ConnectChatAttachments(deps.participant, (url, init) => fetch(url, init)),
    voice: new OggOpusWavConverter(),
    stickers: new WebpPngConverter(),
    telemetry: deps.telemetry,
  });
}

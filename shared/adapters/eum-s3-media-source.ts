import {
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { GetWhatsAppMessageMediaCommand, type SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { RetryableError } from '../domain/errors.js';
import { idempotencyToken } from '../domain/tokens.js';
import { type MediaSource, MediaUnavailableError, type StoredMedia } from '../ports/media-transfer.js';
import { classifyAwsError, errorName } from './aws-errors.js';

/** EUM errors that mean "this media will never be handed over", as opposed to "try later". */
const PERMANENT_EUM_ERRORS = new Set([
  'ResourceNotFoundException',
  'ValidationException',
  'InvalidParametersException',
  'AccessDeniedByMetaException',
]);

export interface EumS3MediaSourceOptions {
  readonly bucketName: string;
  /** Key prefix for every copy (shared/config/media-bucket.ts): IAM and the bucket policy allow only under it. */
  readonly keyPrefix: string;
  /** Pauses between listings while waiting for EUM's object to appear (injected so tests do not wait). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * EUM Social GetWhatsAppMessageMedia straight into the relay's S3 bucket, then S3 reads.
 *
 * EUM takes a key PREFIX and names the object itself: "combined with the WhatsApp mediaId to
 * create the final file path" (botocore model), with an extension derived from the MIME type.
 * The exact rule is UNCONFIRMED (what does `audio/ogg; codecs=opus` become?), so the object is
 * never guessed: each message gets its own prefix, and the prefix is listed.
 */
export class EumS3MediaSource implements MediaSource {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly social: SocialMessagingClient,
    private readonly s3: S3Client,
    private readonly options: EumS3MediaSourceOptions,
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async fetch(request: {
    whatsAppMessageId: string;
    mediaId: string;
    businessPhoneNumberId: string;
  }): Promise<StoredMedia> {
    // A hash keeps the wamid's '=' and '.' out of keys and makes the prefix unique per message.
    const prefix = `${this.options.keyPrefix}${idempotencyToken('inbound-media', request.whatsAppMessageId).slice(0, 32)}/`;
    // A retry reuses the copy an earlier attempt made instead of asking WhatsApp again.
    const earlier = await this.find(prefix, request.mediaId);
    if (earlier) return earlier;

    try {
      await this.social.send(
        new GetWhatsAppMessageMediaCommand({
          mediaId: request.mediaId,
          originationPhoneNumberId: request.businessPhoneNumberId,
          destinationS3File: { bucketName: this.options.bucketName, key: prefix },
        }),
      );
    } catch (error) {
      if (PERMANENT_EUM_ERRORS.has(errorName(error))) {
        throw new MediaUnavailableError(errorName(error), { cause: error });
      }
      throw classifyAwsError('GetWhatsAppMessageMedia', error);
    }

    // S3 lists are strongly consistent; the short wait covers a service that finishes its write
    // just after answering (UNCONFIRMED either way).
    for (const pause of [0, 250, 750]) {
      if (pause) await this.sleep(pause);
      const stored = await this.find(prefix, request.mediaId);
      if (stored) return stored;
    }
    throw new RetryableError(
      'GetWhatsAppMessageMedia succeeded but no object appeared under the prefix',
      'MediaObjectMissing',
    );
  }

  async read(media: StoredMedia): Promise<Uint8Array> {
    try {
      const output = await this.s3.send(
        new GetObjectCommand({ Bucket: this.options.bucketName, Key: media.key }),
      );
      if (!output.Body) throw new Error(`S3 returned no body for ${media.key}`);
      return await output.Body.transformToByteArray();
    } catch (error) {
      throw classifyAwsError('S3GetObject', error);
    }
  }

  /** The object EUM wrote under the message's prefix; the one named after the media id if several. */
  private async find(prefix: string, mediaId: string): Promise<StoredMedia | undefined> {
    let output: ListObjectsV2CommandOutput;
    try {
      output = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.options.bucketName, Prefix: prefix, MaxKeys: 10 }),
      );
    } catch (error) {
      throw classifyAwsError('S3ListObjects', error);
    }
    const objects = (output.Contents ?? []).filter(
      (object): object is { Key: string; Size?: number } => object.Key !== undefined,
    );
    const chosen = objects.find((object) => object.Key.includes(mediaId)) ?? objects[0];
    return chosen ? { key: chosen.Key, sizeBytes: chosen.Size ?? 0 } : undefined;
  }
}

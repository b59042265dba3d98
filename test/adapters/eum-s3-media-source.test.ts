import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  AccessDeniedByMetaException,
  GetWhatsAppMessageMediaCommand,
  ResourceNotFoundException,
  SocialMessagingClient,
  ThrottledRequestException,
} from '@aws-sdk/client-socialmessaging';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EumS3MediaSource } from '../../shared/adapters/eum-s3-media-source.js';
import { idempotencyToken } from '../../shared/domain/tokens.js';
import { MediaUnavailableError } from '../../shared/ports/media-transfer.js';

const social = mockClient(SocialMessagingClient);
const s3 = mockClient(S3Client);
const BUCKET = 'relay-media';
const request = {
  whatsAppMessageId: 'wamid.HBgL=',
  mediaId: '1021384758493021',
  businessPhoneNumberId: 'phone-number-id-0123',
};
const PREFIX = `inbound/${idempotencyToken('inbound-media', request.whatsAppMessageId).slice(0, 32)}/`;

function source() {
  return new EumS3MediaSource(new SocialMessagingClient({}), new S3Client({}), {
    bucketName: BUCKET,
    keyPrefix: 'inbound/',
    sleep: async () => {},
  });
}

describe('EumS3MediaSource', () => {
  beforeEach(() => {
    social.reset();
    s3.reset();
    social.on(GetWhatsAppMessageMediaCommand).resolves({ mimeType: 'audio/ogg; codecs=opus', fileSize: 7 });
  });

  it('asks EUM to copy the media under a prefix unique to the message, then finds the object by listing', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({})
      .resolves({
        Contents: [
          { Key: `${PREFIX}other.bin`, Size: 1 },
          { Key: `${PREFIX}1021384758493021.ogg; codecs=opus`, Size: 6437 },
        ],
      });

    const stored = await source().fetch(request);

    expect(stored).toEqual({ key: `${PREFIX}1021384758493021.ogg; codecs=opus`, sizeBytes: 6437 });
    expect(social).toHaveReceivedCommandWith(GetWhatsAppMessageMediaCommand, {
      mediaId: '1021384758493021',
      originationPhoneNumberId: 'phone-number-id-0123',
      destinationS3File: { bucketName: BUCKET, key: PREFIX },
    });
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: BUCKET, Prefix: PREFIX });
    expect(PREFIX).toMatch(/^inbound\/[0-9a-f]{32}\/$/);
  });

  it('reuses the copy an earlier attempt made, without asking WhatsApp again', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `${PREFIX}1021384758493021.jpeg`, Size: 10 }] });

    await source().fetch(request);

    expect(social).not.toHaveReceivedCommand(GetWhatsAppMessageMediaCommand);
  });

  it('waits briefly for the object, then asks for a retry if it never appears', async () => {
    s3.on(ListObjectsV2Command).resolves({});

    await expect(source().fetch(request)).rejects.toMatchObject({
      name: 'RetryableError',
      reason: 'MediaObjectMissing',
    });
    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 4);
  });

  it('reports media WhatsApp will not hand over as unavailable, and throttling as retryable', async () => {
    s3.on(ListObjectsV2Command).resolves({});
    social
      .on(GetWhatsAppMessageMediaCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'gone', $metadata: { httpStatusCode: 404 } }))
      .rejectsOnce(
        new AccessDeniedByMetaException({ message: 'meta says no', $metadata: { httpStatusCode: 403 } }),
      )
      .rejectsOnce(new ThrottledRequestException({ message: 'slow', $metadata: { httpStatusCode: 429 } }));

    await expect(source().fetch(request)).rejects.toBeInstanceOf(MediaUnavailableError);
    await expect(source().fetch(request)).rejects.toMatchObject({ reason: 'AccessDeniedByMetaException' });
    await expect(source().fetch(request)).rejects.toMatchObject({
      name: 'RetryableError',
      reason: 'GetWhatsAppMessageMedia:ThrottledRequestException',
    });
  });

  it('reads the stored bytes back from S3', async () => {
    const bytes = new Uint8Array([9, 8, 7]);
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key: 'inbound/x/1.jpeg' }).resolves({
      Body: { transformToByteArray: async () => bytes } as never,
    });

    expect(await source().read({ key: 'inbound/x/1.jpeg', sizeBytes: 3 })).toEqual(bytes);
  });
});

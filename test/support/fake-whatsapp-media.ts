import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import {
  GetWhatsAppMessageMediaCommand,
  type GetWhatsAppMessageMediaCommandInput,
  InvalidParametersException,
  ResourceNotFoundException,
  SocialMessagingClient,
  ThrottledRequestException,
} from '@aws-sdk/client-socialmessaging';
import { mockClient } from 'aws-sdk-client-mock';

/** A file a customer sent, as WhatsApp holds it. */
export interface CustomerFile {
  readonly mimeType: string;
  readonly bytes: Uint8Array;
}

/**
 * EUM Social media download and the relay's S3 bucket, faked at the SDK boundary.
 * GetWhatsAppMessageMedia writes the file under `<key prefix><mediaId>.<mimeType after '/'>`,
 * the rule the AWS sample assumes, so `audio/ogg; codecs=opus` lands as `….ogg; codecs=opus`:
 * the relay must find objects by listing, never by guessing names.
 * A file larger than `sizeOverride` claims can be faked without allocating it.
 */
export class FakeWhatsAppMedia {
  readonly socialMock = mockClient(SocialMessagingClient);
  readonly s3Mock = mockClient(S3Client);
  /** Objects in the media bucket: key → bytes (and the size S3 reports). */
  readonly objects = new Map<string, { bytes: Uint8Array; size: number }>();
  readonly downloads: GetWhatsAppMessageMediaCommandInput[] = [];
  private readonly files = new Map<string, CustomerFile & { size: number }>();
  private failures: Error[] = [];
  private beforeDownload: (() => void) | undefined;
  private readonly operations = new Map<string, (input: never) => Promise<unknown>>();

  constructor(readonly bucketName: string) {
    this.install();
  }

  /** Makes a media id downloadable, as when a customer sends a file. */
  addFile(mediaId: string, file: CustomerFile, options: { reportedSize?: number } = {}): void {
    this.files.set(mediaId, { ...file, size: options.reportedSize ?? file.bytes.byteLength });
  }

  /** The next GetWhatsAppMessageMedia calls throw these errors, in order. */
  failNextDownloads(...errors: Error[]): void {
    this.failures.push(...errors);
  }

  /** Runs once, when the next download starts (e.g. to end a chat between a text and its file). */
  onNextDownload(action: () => void): void {
    this.beforeDownload = action;
  }

  static throttled(): Error {
    return new ThrottledRequestException({
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 429 },
    });
  }

  restore(): void {
    this.socialMock.restore();
    this.s3Mock.restore();
  }

  /** Runs one operation as the SDK mocks would, for transports other than the mocks (the sandbox's HTTP). */
  invoke(
    operation: 'GetWhatsAppMessageMedia' | 'ListObjectsV2' | 'GetObject',
    input: object,
  ): Promise<unknown> {
    const handler = this.operations.get(operation);
    if (!handler) return Promise.reject(new Error(`FakeWhatsAppMedia has no operation ${operation}`));
    return handler(input as never);
  }

  private install(): void {
    const getMedia = async (input: GetWhatsAppMessageMediaCommandInput) => {
      this.downloads.push(input);
      const action = this.beforeDownload;
      this.beforeDownload = undefined;
      action?.();
      const failure = this.failures.shift();
      if (failure) throw failure;
      const destination = input.destinationS3File;
      if (!destination || input.destinationS3PresignedUrl || destination.bucketName !== this.bucketName) {
        throw new InvalidParametersException({ message: 'Exactly one destination', $metadata: {} });
      }
      if (!/^phone-number-id-[0-9a-zA-Z]+$/.test(input.originationPhoneNumberId ?? '')) {
        throw new InvalidParametersException({ message: 'Bad originationPhoneNumberId', $metadata: {} });
      }
      const file = this.files.get(input.mediaId ?? '');
      if (!file) throw new ResourceNotFoundException({ message: 'Media not found', $metadata: {} });
      const key = `${destination.key ?? ''}${input.mediaId}.${file.mimeType.split('/').pop()}`;
      this.objects.set(key, { bytes: file.bytes, size: file.size });
      return { mimeType: file.mimeType, fileSize: Math.ceil(file.size / 1024), $metadata: {} };
    };
    const listObjects = async (input: { Bucket?: string; Prefix?: string }) => {
      const contents = [...this.objects.entries()]
        .filter(([key]) => input.Bucket === this.bucketName && key.startsWith(input.Prefix ?? ''))
        .map(([key, object]) => ({ Key: key, Size: object.size }));
      return { Contents: contents.length ? contents : undefined, KeyCount: contents.length, $metadata: {} };
    };
    const getObject = async (input: { Bucket?: string; Key?: string }) => {
      const object = input.Bucket === this.bucketName ? this.objects.get(input.Key ?? '') : undefined;
      if (!object) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
      return { Body: { transformToByteArray: async () => object.bytes }, $metadata: {} };
    };
    this.socialMock.on(GetWhatsAppMessageMediaCommand).callsFake(getMedia);
    this.s3Mock.on(ListObjectsV2Command).callsFake(listObjects);
    this.s3Mock.on(GetObjectCommand).callsFake(getObject);
    this.operations.set('GetWhatsAppMessageMedia', getMedia);
    this.operations.set('ListObjectsV2', listObjects);
    this.operations.set('GetObject', getObject);
  }
}

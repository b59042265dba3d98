import {
  type MediaSource,
  MediaUnavailableError,
  type StoredMedia,
} from '../../../shared/ports/media-transfer.js';

/** WhatsApp's media in memory by media id; an unknown id is media WhatsApp no longer has. */
export class InMemoryMediaSource implements MediaSource {
  readonly files = new Map<string, Uint8Array>();
  /** Sizes as the bucket reports them, when a test needs a file larger than it wants to allocate. */
  readonly reportedSizes = new Map<string, number>();
  readonly reads: StoredMedia[] = [];
  async fetch(request: { whatsAppMessageId: string; mediaId: string }): Promise<StoredMedia> {
    const bytes = this.files.get(request.mediaId);
    if (!bytes) throw new MediaUnavailableError('media id not found or expired');
    const sizeBytes = this.reportedSizes.get(request.mediaId) ?? bytes.byteLength;
    return { key: `${request.whatsAppMessageId}/${request.mediaId}`, sizeBytes };
  }
  async read(media: StoredMedia): Promise<Uint8Array> {
    this.reads.push(media);
    const bytes = this.files.get(media.key.split('/')[1] ?? '');
    if (!bytes) throw new Error(`nothing stored under ${media.key}`);
    return bytes;
  }
}

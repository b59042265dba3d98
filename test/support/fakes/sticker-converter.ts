import type { StickerConverter } from '../../../shared/ports/media-transfer.js';
import { type Scripted, scripted } from './scripted.js';

/** Converts any sticker to a "PNG" marked as such (bytes `PNG:` + the input), 512 × 512 and still. */
export function scriptedStickerConverter(): Scripted<StickerConverter> {
  return scripted<StickerConverter>({
    toPng: async (webp) => ({
      status: 'converted',
      png: new Uint8Array([...new TextEncoder().encode('PNG:'), ...webp]),
      width: 512,
      height: 512,
      animated: false,
    }),
  });
}

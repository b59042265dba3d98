import type { InboundContent } from './inbound-message.js';

/**
 * What a WhatsApp sticker may be, so an oversize one is refused clearly rather than decoded.
 *
 * Stickers are WebP, at most 100 KB when static and 500 KB when animated (AWS End User Messaging
 * Social user guide, "Supported media file types"; the same limits Meta publishes), and 512 × 512
 * pixels (Meta's sticker requirements). The byte limits are read as KiB, the more lenient reading.
 * The canvas limit is twice Meta's side: generous for odd senders, yet it caps a decoded frame at
 * 4 MB of RGBA, whatever a corrupt or hostile header claims.
 */
export const STICKER_MAX_BYTES = { static: 100 * 1024, animated: 500 * 1024 } as const;

/** The largest canvas side the relay decodes. */
export const STICKER_MAX_SIDE = 1024;

/**
 * The byte limit for a sticker, checked before the file is read: the animated one unless WhatsApp
 * marks the sticker static (a sticker it does not mark may move).
 */
export function stickerByteLimit(content: Extract<InboundContent, { kind: 'media' }>): number {
  return content.animated === false ? STICKER_MAX_BYTES.static : STICKER_MAX_BYTES.animated;
}

/** The line after an animated sticker's PNG, so the agent knows it is a still of a moving sticker. */
export const ANIMATED_STICKER_NOTE = 'ℹ The sticker above is animated; the attachment shows its first frame.';

/** Why an oversize sticker is missing: Meta's byte limit, or a canvas larger than a sticker's. */
export function stickerTooLargeNote(
  content: Extract<InboundContent, { kind: 'media' }>,
  detail: { sizeBytes?: number; width?: number; height?: number; maxSide?: number },
): string {
  const ask = 'Ask the customer to send it as a photo.';
  if (detail.width !== undefined && detail.height !== undefined) {
    return `⚠ The customer's sticker (${detail.width} × ${detail.height} pixels) was not attached: a WhatsApp sticker is 512 × 512, and the relay converts none over ${detail.maxSide ?? STICKER_MAX_SIDE} pixels a side. ${ask}`;
  }
  const kind = content.animated === false ? 'a static' : 'an animated';
  const size = detail.sizeBytes !== undefined ? ` (${kib(detail.sizeBytes)})` : '';
  return `⚠ The customer's sticker${size} was not attached: ${kind} WhatsApp sticker is at most ${kib(stickerByteLimit(content))}, so this file is not a sticker the relay converts. ${ask}`;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

import * as z from 'zod';
import type { MediaKind } from '../../../domain/inbound-message.js';
import type { MessageTypeParser } from '../message-type.js';

const mediaSchema = z.object({
  id: z.string(),
  mime_type: z.string(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});

/** `{type:"<kind>", <kind>:{id, mime_type, sha256, caption?, filename?, voice?, animated?}}`. */
function mediaParser(mediaKind: MediaKind): MessageTypeParser {
  return {
    type: mediaKind,
    parse: (message) => {
      const media = mediaSchema.parse(message[mediaKind]);
      return {
        kind: 'media',
        mediaKind,
        mediaId: media.id,
        mimeType: media.mime_type,
        ...(media.caption ? { caption: media.caption } : {}),
        ...(media.filename ? { filename: media.filename } : {}),
        ...(media.voice !== undefined ? { voice: media.voice } : {}),
        ...(media.animated !== undefined ? { animated: media.animated } : {}),
      };
    },
  };
}

export const image = mediaParser('image');
export const audio = mediaParser('audio');
export const video = mediaParser('video');
export const document = mediaParser('document');
export const sticker = mediaParser('sticker');

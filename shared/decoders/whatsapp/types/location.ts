import * as z from 'zod';
import type { MessageTypeParser } from '../message-type.js';

/** `{type:"location", location:{latitude, longitude, name?, address?, url?}}`; numbers may be strings. */
export const location: MessageTypeParser = {
  type: 'location',
  parse: (message) => {
    const place = z
      .object({
        latitude: z.coerce.number(),
        longitude: z.coerce.number(),
        name: z.string().optional(),
        address: z.string().optional(),
        url: z.string().optional(),
      })
      .parse(message.location);
    return { kind: 'location', ...place };
  },
};

import * as z from 'zod';
import type { MessageTypeParser } from '../message-type.js';

/** `{type:"text", text:{body}}`. */
export const text: MessageTypeParser = {
  type: 'text',
  parse: (message) => ({ kind: 'text', body: z.object({ body: z.string() }).parse(message.text).body }),
};

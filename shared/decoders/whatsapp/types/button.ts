import * as z from 'zod';
import type { MessageTypeParser } from '../message-type.js';

/** `{type:"button", button:{text, payload}}`: a tap on a template's quick-reply button. */
export const button: MessageTypeParser = {
  type: 'button',
  parse: (message) => {
    const tapped = z.object({ text: z.string(), payload: z.string().optional() }).parse(message.button);
    return { kind: 'button', ...tapped };
  },
};

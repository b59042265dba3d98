import * as z from 'zod';
import type { MessageTypeParser } from '../message-type.js';

/** `{type:"system", system:{body, type?}}`: WhatsApp's own notice, e.g. the customer changed number. */
export const system: MessageTypeParser = {
  type: 'system',
  parse: (message) => {
    const notice = z.object({ body: z.string(), type: z.string().optional() }).parse(message.system);
    return { kind: 'system', body: notice.body, ...(notice.type ? { systemType: notice.type } : {}) };
  },
};

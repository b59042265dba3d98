import * as z from 'zod';
import { type MessageTypeParser, unsupportedContent } from '../message-type.js';
import { errorSchema } from '../schemas.js';

/** `{type:"unsupported", errors:[{code:131051, error_data:{details}}]}`: Meta could not deliver it. */
export const unsupported: MessageTypeParser = {
  type: 'unsupported',
  parse: (message) => {
    const [first] = z.array(errorSchema).optional().parse(message.errors) ?? [];
    return unsupportedContent('unsupported', first?.error_data?.details ?? first?.title ?? 'unknown content');
  },
};

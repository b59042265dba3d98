import * as z from 'zod';
import type { MessageTypeParser } from '../message-type.js';

/** `{type:"reaction", reaction:{message_id, emoji?}}`; no emoji means the reaction was removed. */
export const reaction: MessageTypeParser = {
  type: 'reaction',
  parse: (message) => {
    const reacted = z
      .object({ message_id: z.string(), emoji: z.string().optional() })
      .parse(message.reaction);
    return {
      kind: 'reaction',
      targetMessageId: reacted.message_id,
      ...(reacted.emoji ? { emoji: reacted.emoji } : {}),
    };
  },
};

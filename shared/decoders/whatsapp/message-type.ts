import type { InboundContent } from '../../domain/inbound-message.js';

/**
 * One WhatsApp message type: the `type` Meta puts on the message, and how its payload becomes the
 * relay's InboundContent. `parse` gets the whole message object and throws (a zod error, say) when
 * the payload is incomplete; the decoder then tells the agent the content was incomplete.
 */
export interface MessageTypeParser {
  readonly type: string;
  parse(message: Readonly<Record<string, unknown>>): InboundContent;
}

/** Content for a message the relay cannot show, with the reason the agent reads. */
export function unsupportedContent(declaredType: string, reason: string): InboundContent {
  return { kind: 'unsupported', declaredType, reason };
}

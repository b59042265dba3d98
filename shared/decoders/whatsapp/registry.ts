import type { InboundContent } from '../../domain/inbound-message.js';
import { type MessageTypeParser, unsupportedContent } from './message-type.js';
import { button } from './types/button.js';
import { contacts } from './types/contacts.js';
import { interactive } from './types/interactive.js';
import { location } from './types/location.js';
import { audio, document, image, sticker, video } from './types/media.js';
import { order } from './types/order.js';
import { reaction } from './types/reaction.js';
import { requestWelcome } from './types/request-welcome.js';
import { system } from './types/system.js';
import { text } from './types/text.js';
import { unsupported } from './types/unsupported.js';

/**
 * Every WhatsApp message type the relay understands, registered here and nowhere else (see
 * docs/adding-a-message-type.md). A Map, not an object: a type named `constructor` or `__proto__`
 * must not find an inherited property.
 */
const PARSERS: readonly MessageTypeParser[] = [
  text,
  image,
  audio,
  video,
  document,
  sticker,
  location,
  contacts,
  interactive,
  button,
  reaction,
  order,
  system,
  requestWelcome,
  unsupported,
];

const REGISTRY: ReadonlyMap<string, MessageTypeParser> = new Map(
  PARSERS.map((parser) => [parser.type, parser]),
);

/** The registered `type` names, for tests and fixtures that must cover every one. */
export function registeredMessageTypes(): readonly string[] {
  return [...REGISTRY.keys()];
}

/**
 * The content of a message of `type`: parsed by its registered parser, or `unsupported` (with a
 * reason the agent reads) for a type new to the relay or a payload that is incomplete.
 */
export function parseMessageContent(
  type: string,
  message: Readonly<Record<string, unknown>>,
): InboundContent {
  const parser = REGISTRY.get(type);
  if (!parser) return unsupportedContent(type, 'this WhatsApp message type is new to the relay');
  try {
    return parser.parse(message);
  } catch {
    return unsupportedContent(type, 'the message content was incomplete');
  }
}

import type { MessageTypeParser } from '../message-type.js';

/** `{type:"request_welcome"}`: the customer opened the chat with the business for the first time. */
export const requestWelcome: MessageTypeParser = {
  type: 'request_welcome',
  parse: () => ({ kind: 'request-welcome' }),
};

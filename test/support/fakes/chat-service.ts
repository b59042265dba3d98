import type { ChatService } from '../../../shared/ports/chat-service.js';
import { type Scripted, scripted } from './scripted.js';

/**
 * Amazon Connect answering like a healthy instance: each ClientToken gets its own contact, each
 * connection a new token valid for a day. Scenarios replace `answer.<operation>`.
 */
export function scriptedChatService(now: () => number): Scripted<ChatService> {
  let connections = 0;
  let messages = 0;
  return scripted<ChatService>({
    startChat: async (request) => ({
      contactId: `contact-${request.clientToken.slice(0, 12)}`,
      participantToken: `participant-${request.clientToken.slice(0, 12)}`,
    }),
    startStreaming: async () => {},
    connectParticipant: async () => ({
      connectionToken: `connection-${++connections}`,
      expiresAt: now() + 86_400_000,
    }),
    sendMessage: async () => ({ messageId: `connect-message-${++messages}` }),
    sendEvent: async () => {},
    getAttachmentUrl: async () => 'https://attachments.example/file',
    awaitAttachmentScan: async () => 'APPROVED',
  });
}

import type { InboundContent, InboundMessage } from '../../shared/domain/inbound-message.js';
import { CONVERSATION_KEY } from './conversation-builders.js';
import { BUSINESS } from './whatsapp-events.js';

/** A decoded customer message (what the webhook decoder hands the use case), from the test customer. */
export function customerMessage(options: {
  id: string;
  /** Epoch ms. */
  at: number;
  content: InboundContent;
  type?: string;
}): InboundMessage {
  return {
    id: options.id,
    timestamp: Math.floor(options.at / 1000),
    type:
      options.type ?? (options.content.kind === 'media' ? options.content.mediaKind : options.content.kind),
    business: {
      phoneNumberId: BUSINESS.phoneNumberId,
      phoneNumberArn: BUSINESS.phoneNumberArn,
      metaPhoneNumberId: BUSINESS.metaPhoneNumberId,
      displayPhoneNumber: BUSINESS.displayPhoneNumber,
    },
    customer: {
      id: CONVERSATION_KEY.customerId,
      waId: CONVERSATION_KEY.customerId,
      profileName: 'Ana Souza',
    },
    content: options.content,
  };
}

/** A customer's text message. */
export function customerText(id: string, body: string, at: number): InboundMessage {
  return customerMessage({ id, at, content: { kind: 'text', body } });
}

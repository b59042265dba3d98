import { SendWhatsAppMessageCommand, type SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { PermanentDeliveryError } from '../domain/errors.js';
import type { WhatsAppPayload } from '../domain/whatsapp-payloads.js';
import type { WhatsAppSender } from '../ports/whatsapp-sender.js';
import { classifyAwsError, errorName, isTransient } from './aws-errors.js';

const encoder = new TextEncoder();

/** SendWhatsAppMessage through AWS End User Messaging Social. */
export class EumWhatsAppSender implements WhatsAppSender {
  constructor(
    private readonly client: SocialMessagingClient,
    private readonly metaApiVersion: string,
  ) {}

  async send(originationPhoneNumberId: string, payload: WhatsAppPayload): Promise<{ messageId: string }> {
    try {
      const output = await this.client.send(
        new SendWhatsAppMessageCommand({
          originationPhoneNumberId,
          metaApiVersion: this.metaApiVersion,
          message: encoder.encode(JSON.stringify(payload)),
        }),
      );
      return { messageId: output.messageId ?? '' };
    } catch (error) {
      if (isTransient(error)) throw classifyAwsError('SendWhatsAppMessage', error);
      // Validation, bad parameters, permissions: retrying sends the same refused request.
      throw new PermanentDeliveryError(
        `SendWhatsAppMessage refused the message: ${errorName(error)}`,
        `SendWhatsAppMessage:${errorName(error)}`,
        { cause: error },
      );
    }
  }
}

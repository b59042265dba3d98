import { SendWhatsAppMessageCommand, type SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import type { WhatsAppPayload } from '../domain/whatsapp-payloads.js';
import { WhatsAppNotSentError, WhatsAppRefusedError, type WhatsAppSender } from '../ports/whatsapp-sender.js';
import { classifyAwsError, errorName, isCertainlyUnsent, isTransient, metaErrorCode } from './aws-errors.js';
import { retryWhileThrottled, type ThrottleBackoff, throttleBackoff } from './throttle-backoff.js';

const encoder = new TextEncoder();

/** SendWhatsAppMessage through AWS End User Messaging Social. */
export class EumWhatsAppSender implements WhatsAppSender {
  /**
   * The client must be built with `maxAttempts: 1`: SendWhatsAppMessage takes no idempotency
   * token, so an SDK retry after a timeout or 5xx can deliver a message twice. Throttling (and
   * Meta's rate limits) is refused before it takes effect, so only that is retried, here.
   */
  constructor(
    private readonly client: SocialMessagingClient,
    private readonly metaApiVersion: string,
    private readonly backoff: ThrottleBackoff = throttleBackoff(),
  ) {}

  async send(originationPhoneNumberId: string, payload: WhatsAppPayload): Promise<{ messageId: string }> {
    try {
      const message = encoder.encode(JSON.stringify(payload));
      const output = await retryWhileThrottled(
        () =>
          this.client.send(
            new SendWhatsAppMessageCommand({
              originationPhoneNumberId,
              metaApiVersion: this.metaApiVersion,
              message,
            }),
          ),
        this.backoff,
      );
      return { messageId: output.messageId ?? '' };
    } catch (error) {
      if (isCertainlyUnsent(error))
        throw classifyAwsError('SendWhatsAppMessage', error, WhatsAppNotSentError);
      if (isTransient(error)) throw classifyAwsError('SendWhatsAppMessage', error);
      // Validation, bad parameters, permissions: retrying sends the same refused request.
      throw new WhatsAppRefusedError(
        `SendWhatsAppMessage refused the message: ${errorName(error)}`,
        `SendWhatsAppMessage:${errorName(error)}`,
        metaErrorCode(error),
        { cause: error },
      );
    }
  }
}

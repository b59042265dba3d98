import { SendWhatsAppMessageCommand, type SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import {
  TemplateSendError,
  type TemplateSendFailure,
  type WhatsAppSender,
} from '../ports/whatsapp-sender.js';
import { errorName, isTransient } from './aws-errors.js';

export interface EumWhatsAppSenderOptions {
  /** `phone-number-id-…`: the business number templates are sent from. */
  readonly originationPhoneNumberId: string;
  /** Meta Graph API version EUM Social forwards to, e.g. `v23.0`. */
  readonly metaApiVersion: string;
}

const FAILURES: Record<string, TemplateSendFailure> = {
  ThrottledRequestException: 'Throttled',
  LimitExceededException: 'Throttled',
  ValidationException: 'Rejected',
  InvalidParametersException: 'Rejected',
  AccessDeniedByMetaException: 'MetaRefused',
  ResourceNotFoundException: 'NotFound',
  InternalServiceException: 'Unavailable',
  DependencyException: 'Unavailable',
};

/** SendWhatsAppMessage with the message as UTF-8 JSON bytes, errors classified for the agent. */
export class EumWhatsAppSender implements WhatsAppSender {
  constructor(
    private readonly client: SocialMessagingClient,
    private readonly options: EumWhatsAppSenderOptions,
  ) {}

  async send(message: Record<string, unknown>): Promise<{ messageId: string }> {
    try {
      const output = await this.client.send(
        new SendWhatsAppMessageCommand({
          originationPhoneNumberId: this.options.originationPhoneNumberId,
          metaApiVersion: this.options.metaApiVersion,
          message: new TextEncoder().encode(JSON.stringify(message)),
        }),
      );
      if (!output.messageId)
        throw new TemplateSendError('Unknown', 'NoMessageId', 'SendWhatsAppMessage returned no messageId');
      return { messageId: output.messageId };
    } catch (error) {
      if (error instanceof TemplateSendError) throw error;
      const name = errorName(error);
      const failure = FAILURES[name] ?? (isTransient(error) ? 'Unavailable' : 'Unknown');
      const detail = (error as { message?: string }).message ?? name;
      throw new TemplateSendError(failure, name, detail, { cause: error });
    }
  }
}

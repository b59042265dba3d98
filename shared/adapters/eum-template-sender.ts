import { PermanentDeliveryError, RetryableError } from '../domain/errors.js';
import {
  TemplateSendError,
  type TemplateSender,
  type TemplateSendFailure,
} from '../ports/template-sender.js';
import type { WhatsAppSender } from '../ports/whatsapp-sender.js';
import { errorName } from './aws-errors.js';

export interface EumTemplateSenderOptions {
  /** `phone-number-id-…`: the business number templates are sent from. */
  readonly originationPhoneNumberId: string;
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
  // A timed-out request may still have been delivered (SendWhatsAppMessage takes no idempotency token).
  TimeoutError: 'Unconfirmed',
  RequestTimeout: 'Unconfirmed',
  RequestTimeoutException: 'Unconfirmed',
  AbortError: 'Unconfirmed',
};

/**
 * Sends templates through the one SendWhatsAppMessage adapter the relay uses everywhere, and
 * words its failures for the agent: the guide cannot retry later, so it must say what happened.
 */
export class EumTemplateSender implements TemplateSender {
  constructor(
    private readonly whatsApp: WhatsAppSender,
    private readonly options: EumTemplateSenderOptions,
  ) {}

  async send(message: Record<string, unknown>): Promise<{ messageId: string }> {
    try {
      const { messageId } = await this.whatsApp.send(this.options.originationPhoneNumberId, message);
      if (!messageId)
        throw new TemplateSendError('Unknown', 'NoMessageId', 'SendWhatsAppMessage returned no messageId');
      return { messageId };
    } catch (error) {
      if (error instanceof TemplateSendError) throw error;
      const cause =
        error instanceof RetryableError || error instanceof PermanentDeliveryError ? error.cause : error;
      const name = errorName(cause);
      const fallback: TemplateSendFailure = error instanceof RetryableError ? 'Unavailable' : 'Unknown';
      const failure = FAILURES[name] ?? fallback;
      const detail = (cause as { message?: string } | undefined)?.message ?? name;
      throw new TemplateSendError(failure, name, detail, { cause });
    }
  }
}

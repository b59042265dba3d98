import {
  InternalServiceException,
  SendWhatsAppMessageCommand,
  SocialMessagingClient,
  ThrottledRequestException,
  ValidationException,
} from '@aws-sdk/client-socialmessaging';
import { mockClient } from 'aws-sdk-client-mock';
import type { FaultInjector } from './fake-connect.js';

/**
 * Injectable send failures. `unreachable`: DNS failed, the request never left (Node's ENOTFOUND).
 * `reset`: the connection dropped mid-request (ECONNRESET), so EUM may have taken the message.
 * `meta-pair-limit`: EUM refuses because Meta answered with its pair rate limit code.
 */
export type SendFailure = 'throttle' | 'server' | 'refuse' | 'unreachable' | 'reset' | 'meta-pair-limit';

export interface SentWhatsAppMessage {
  readonly messageId: string;
  readonly originationPhoneNumberId: string;
  readonly metaApiVersion: string;
  readonly payload: Record<string, unknown>;
}

/**
 * EUM Social's SendWhatsAppMessage at the SDK boundary. It records the Meta payloads as WhatsApp
 * would receive them, and can be told to throttle, fail or refuse the next sends.
 */
export class FakeWhatsApp {
  readonly mock = mockClient(SocialMessagingClient);
  readonly sent: SentWhatsAppMessage[] = [];
  private failures: (SendFailure | Error)[] = [];
  private sequence = 0;

  constructor(private readonly options: { latencyMs?: number; faults?: FaultInjector } = {}) {
    this.mock.on(SendWhatsAppMessageCommand).callsFake((input) => this.invoke(input));
  }

  /** SendWhatsAppMessage as the SDK mock answers it, for other transports too (HTTP). */
  async invoke(input: { originationPhoneNumberId?: string; metaApiVersion?: string; message?: Uint8Array }) {
    // Init-time priming (aborted before the network by the real SDK) has no effect here either.
    if (input.originationPhoneNumberId === 'phone-number-id-priming') {
      throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    }
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const before = this.options.faults?.('SendWhatsAppMessage', 'before', input);
    if (before) throw before;
    const payload = JSON.parse(new TextDecoder().decode(input.message)) as Record<string, unknown>;
    // Injected failures hit chat messages, not read receipts sent alongside them.
    const failure = payload.status === 'read' ? undefined : this.failures.shift();
    if (failure === 'throttle') {
      throw new ThrottledRequestException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });
    }
    if (failure === 'server') {
      throw new InternalServiceException({ message: 'Internal error', $metadata: { httpStatusCode: 500 } });
    }
    if (failure === 'refuse') {
      throw new ValidationException({ message: 'Invalid message', $metadata: { httpStatusCode: 400 } });
    }
    if (failure === 'unreachable') {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND social-messaging.us-east-1.amazonaws.com'), {
        code: 'ENOTFOUND',
        syscall: 'getaddrinfo',
      });
    }
    if (failure === 'reset') {
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    if (failure === 'meta-pair-limit') {
      // Meta's message names its code as "(#131056) title"; how EUM wraps it is not documented.
      throw new ValidationException({
        message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
        $metadata: { httpStatusCode: 400 },
      });
    }
    if (failure instanceof Error) throw failure;
    const messageId = `eum-${++this.sequence}`;
    this.sent.push({
      messageId,
      originationPhoneNumberId: input.originationPhoneNumberId ?? '',
      metaApiVersion: input.metaApiVersion ?? '',
      payload,
    });
    const after = this.options.faults?.('SendWhatsAppMessage', 'after', input);
    if (after) throw after;
    return { messageId, $metadata: {} };
  }

  /** The next chat-message sends fail in this order (one per attempt: mocks bypass SDK retries). */
  failNext(...failures: (SendFailure | Error)[]): void {
    this.failures.push(...failures);
  }

  /** Chat messages (not receipts or typing) sent to a recipient. */
  messagesTo(recipient: string): Record<string, unknown>[] {
    return this.sent
      .map((sent) => sent.payload)
      .filter((payload) => payload.to === recipient && payload.type !== undefined);
  }

  /** Read receipts and typing indicators, in send order. */
  statusUpdates(): Record<string, unknown>[] {
    return this.sent.map((sent) => sent.payload).filter((payload) => payload.status === 'read');
  }

  restore(): void {
    this.mock.restore();
  }
}

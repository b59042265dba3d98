import type { CallbackRefusal } from '../domain/callback-request.js';
import type { WeeklyHours } from '../domain/hours-of-operation.js';

/** One outbound voice call, as StartOutboundVoiceContact takes it (the adapter adds the instance). */
export interface OutboundCallRequest {
  /** E.164. */
  readonly destination: string;
  readonly contactFlowId: string;
  /** The caller id: a Connect number, or a queue (whose outbound caller id is shown). */
  readonly source: { readonly phoneNumber: string } | { readonly queueId: string };
  readonly attributes: Readonly<Record<string, string>>;
  /** Deterministic: the same request returns the contact it already started. */
  readonly clientToken: string;
}

/**
 * Places outbound voice calls through Amazon Connect. Adapters throw OutboundCallRefusedError when
 * Connect refused the call (retrying sends the same refused request) and RetryableError when it
 * failed transiently (the same ClientToken makes the retry safe).
 */
export interface OutboundCalls {
  startCall(request: OutboundCallRequest): Promise<{ contactId: string }>;
}

/** The instance's hours of operation, for the callback's hours check. */
export interface HoursOfOperationSource {
  weeklyHours(hoursOfOperationId: string): Promise<WeeklyHours>;
}

/** Connect refused the call; `reason` says why in terms the customer and agent are told. */
export class OutboundCallRefusedError extends Error {
  constructor(
    readonly reason: CallbackRefusal,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Connect refused the outbound call: ${detail}`, options);
    this.name = 'OutboundCallRefusedError';
  }
}

import type { CallbackRefusal } from '../domain/callback-request.js';
import { RetryableError } from '../domain/errors.js';
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
 * Connect refused the call, OutboundCallNotPlacedError when the request certainly never took
 * effect (throttled, never connected: safe to retry), and OutboundCallUnconfirmedError when it may
 * have (a timeout, a reset, a 5xx). The last is never retried: the ClientToken only returns the
 * same contact while that call is live ("If the contact is disconnected, a new contact is
 * started": Connect API reference, StartOutboundVoiceContact, ClientToken), so a retry after the
 * customer hung up would ring them again.
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

/** The call certainly was not placed (throttled, never connected): the record is retried. */
export class OutboundCallNotPlacedError extends RetryableError {
  constructor(message: string, reason: string, options?: { cause?: unknown }) {
    super(message, reason, options);
    this.name = 'OutboundCallNotPlacedError';
  }
}

/** Connect may or may not have placed the call: it is not retried, and the agent is told to check. */
export class OutboundCallUnconfirmedError extends Error {
  constructor(
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`StartOutboundVoiceContact outcome unknown: ${detail}`, options);
    this.name = 'OutboundCallUnconfirmedError';
  }
}

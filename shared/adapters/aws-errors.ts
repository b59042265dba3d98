import type { CallbackRefusal } from '../domain/callback-request.js';
import { errorName, RetryableError } from '../domain/errors.js';

/**
 * The one place where failed AWS calls are classified: transient (retry), and, for calls that
 * take no idempotency token, whether the request certainly never took effect.
 */

/** What the SDK tells us about a failed call, without depending on one service's error classes. */
interface AwsErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'ThrottledRequestException',
  'TooManyRequestsException',
  'LimitExceededException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
]);

const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);

// Server-side faults by name, for when the status code is missing (mocks, some SDK paths).
const SERVER_FAULT_NAMES = new Set([
  'InternalServiceException',
  'InternalServerException',
  'InternalServerError',
  'ServiceUnavailableException',
  'DependencyException',
]);

/**
 * Node socket errors that reach us as plain Errors with a `code` (the SDK's node HTTP handler
 * passes them through). These happen before a connection exists: no request reached AWS.
 */
const NEVER_CONNECTED_CODES = new Set(['EAI_AGAIN', 'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH']);

/** Socket errors on an open connection: the request may have reached AWS and taken effect. */
const INTERRUPTED_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/**
 * Meta's rate limits, which EUM passes on inside its error message as "(#<code>) <title>":
 * 130429 throughput, 131056 pair rate (one customer), 131048 spam rate. Meta refused the message,
 * so nothing was sent. Source: Meta "WhatsApp error codes" (Cloud API error message format).
 */
const META_RATE_LIMIT_CODES = new Set([130429, 131056, 131048]);

/** The error's name, for logs, metrics and dead-letter reasons. */
export { errorName };

/** Node's socket error code (ENOTFOUND, ECONNRESET…), on the error or its cause. */
function socketCode(error: unknown): string | undefined {
  const candidate = error as AwsErrorLike | undefined;
  const code = candidate?.code ?? (candidate?.cause as AwsErrorLike | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A short name for a failure, for logs and notices: the socket code (ECONNRESET) or the error's name. */
export function failureLabel(error: unknown): string {
  return socketCode(error) ?? errorName(error);
}

/** The Meta error code an EUM refusal carries in its message ("(#131062) …"), if any. */
export function metaErrorCode(error: unknown): number | undefined {
  const message = (error as AwsErrorLike | undefined)?.message ?? '';
  const match = /\(#(\d{3,6})\)/.exec(message);
  return match?.[1] ? Number(match[1]) : undefined;
}

/** Throttled by AWS (429) or rate-limited by Meta: refused before anything was sent. */
export function isThrottled(error: unknown): boolean {
  const status = (error as AwsErrorLike | undefined)?.$metadata?.httpStatusCode;
  const metaCode = metaErrorCode(error);
  return (
    THROTTLING_NAMES.has(errorName(error)) ||
    status === 429 ||
    (metaCode !== undefined && META_RATE_LIMIT_CODES.has(metaCode))
  );
}

/** Throttling, 5xx, timeouts and network failures: worth retrying after the SDK's own retries gave up. */
export function isTransient(error: unknown): boolean {
  const candidate = error as AwsErrorLike | undefined;
  const name = errorName(error);
  const status = candidate?.$metadata?.httpStatusCode ?? 0;
  const code = socketCode(error);
  return (
    isThrottled(error) ||
    TIMEOUT_NAMES.has(name) ||
    SERVER_FAULT_NAMES.has(name) ||
    status >= 500 ||
    candidate?.$retryable !== undefined ||
    (code !== undefined && (NEVER_CONNECTED_CODES.has(code) || INTERRUPTED_CODES.has(code)))
  );
}

/**
 * The request certainly had no effect: it was throttled or rate-limited, or it never reached AWS
 * (DNS, connection refused, no route). A timeout, a reset or a 5xx may have taken effect.
 */
export function isCertainlyUnsent(error: unknown): boolean {
  const code = socketCode(error);
  return isThrottled(error) || (code !== undefined && NEVER_CONNECTED_CODES.has(code));
}

type RetryableErrorClass = new (
  message: string,
  reason: string,
  options?: { cause?: unknown },
) => RetryableError;

/**
 * Wraps transient failures in RetryableError, or the subclass given (named for metrics);
 * everything else passes through.
 */
export function classifyAwsError(
  operation: string,
  error: unknown,
  as: RetryableErrorClass = RetryableError,
): unknown {
  if (error instanceof RetryableError) return error;
  if (isTransient(error)) {
    const label = socketCode(error) ?? errorName(error);
    return new as(`${operation} failed transiently: ${label}`, `${operation}:${label}`, {
      cause: error,
    });
  }
  return error;
}

/**
 * StartOutboundVoiceContact's refusals (botocore connect 2017-08-08, operation errors), in the
 * callback's terms; undefined for anything else (transient or unknown). LimitExceededException is
 * a 429 that the SDK's own retries already waited out, so here it means the outbound quota is
 * reached: the customer is told now rather than called back minutes later.
 */
export function outboundCallRefusalOf(error: unknown): CallbackRefusal | undefined {
  switch (errorName(error)) {
    case 'DestinationNotAllowedException':
      return 'destination-not-allowed';
    case 'LimitExceededException':
      return 'quota-reached';
    case 'OutboundContactNotPermittedException':
    case 'InvalidParameterException':
    case 'InvalidRequestException':
    case 'ResourceNotFoundException':
    case 'AccessDeniedException':
      return 'misconfigured';
    default:
      return undefined;
  }
}

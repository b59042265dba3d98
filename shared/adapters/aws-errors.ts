import { RetryableError } from '../domain/errors.js';

/** What the SDK tells us about a failed call, without depending on one service's error classes. */
interface AwsErrorLike {
  name?: string;
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

export function errorName(error: unknown): string {
  return (error as AwsErrorLike | undefined)?.name ?? 'UnknownError';
}

/** Throttling, 5xx and timeouts: worth retrying after the SDK's own retries gave up. */
export function isTransient(error: unknown): boolean {
  const candidate = error as AwsErrorLike | undefined;
  const name = errorName(error);
  const status = candidate?.$metadata?.httpStatusCode ?? 0;
  return (
    THROTTLING_NAMES.has(name) ||
    TIMEOUT_NAMES.has(name) ||
    SERVER_FAULT_NAMES.has(name) ||
    status >= 500 ||
    status === 429 ||
    candidate?.$retryable !== undefined
  );
}

/** Wraps transient failures in RetryableError (named for metrics); everything else passes through. */
export function classifyAwsError(operation: string, error: unknown): unknown {
  if (error instanceof RetryableError) return error;
  if (isTransient(error)) {
    return new RetryableError(
      `${operation} failed transiently: ${errorName(error)}`,
      `${operation}:${errorName(error)}`,
      {
        cause: error,
      },
    );
  }
  return error;
}

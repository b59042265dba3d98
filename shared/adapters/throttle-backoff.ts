import { isThrottled, isTransient } from './aws-errors.js';

/**
 * How long to keep retrying a throttled call inside the current invocation. Connect's participant
 * service allows about 10 SendMessage calls a second per instance; a burst above that should wait
 * a few hundred milliseconds here, not a whole SQS visibility timeout.
 */
export interface ThrottleBackoff {
  readonly baseMs: number;
  readonly capMs: number;
  /** Epoch ms after which a throttled call gives up (and SQS retries the record later); read once per call. */
  readonly deadline: () => number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/**
 * Retries `call` while it is throttled (by AWS, or by Meta's rate limits as EUM reports them),
 * with decorrelated jitter, until the deadline. A throttled call was refused before it took
 * effect, so this is safe even for calls without an idempotency token.
 */
export function retryWhileThrottled<T>(call: () => Promise<T>, backoff: ThrottleBackoff): Promise<T> {
  return retryInPlace(call, backoff, isThrottled);
}

/**
 * Retries `call` on any transient failure (throttling, 5xx, timeouts, connection resets), for
 * calls that are safe to repeat: they carry a ClientToken, or only read.
 */
export function retryWhileTransient<T>(call: () => Promise<T>, backoff: ThrottleBackoff): Promise<T> {
  return retryInPlace(call, backoff, isTransient);
}

async function retryInPlace<T>(
  call: () => Promise<T>,
  backoff: ThrottleBackoff,
  retryable: (error: unknown) => boolean,
): Promise<T> {
  const deadline = backoff.deadline();
  let delay = backoff.baseMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!retryable(error)) throw error;
      // Decorrelated jitter keeps concurrent senders from retrying in lockstep.
      delay = Math.min(backoff.capMs, backoff.baseMs + backoff.random() * (delay * 3 - backoff.baseMs));
      if (backoff.now() + delay > deadline) throw error;
      await backoff.sleep(delay);
    }
  }
}

/**
 * Calls `read` again, with the same jittered backoff, while `pending(result)` holds, for at most
 * `maxWaitMs` and never past the deadline; returns the last result.
 */
export async function pollWhile<T>(
  read: () => Promise<T>,
  pending: (result: T) => boolean,
  backoff: ThrottleBackoff,
  maxWaitMs: number,
): Promise<T> {
  const until = Math.min(backoff.deadline(), backoff.now() + maxWaitMs);
  let delay = backoff.baseMs;
  for (;;) {
    const result = await read();
    if (!pending(result)) return result;
    delay = Math.min(backoff.capMs, backoff.baseMs + backoff.random() * (delay * 3 - backoff.baseMs));
    if (backoff.now() + delay > until) return result;
    await backoff.sleep(delay);
  }
}

/** Jittered backoff from 50 ms up to 1 s between tries, until `deadline` (default: 10 s from each call). */
export function throttleBackoff(deadline: () => number = () => Date.now() + 10_000): ThrottleBackoff {
  return {
    baseMs: 50,
    capMs: 1000,
    deadline,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  };
}

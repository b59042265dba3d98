import { describe, expect, it } from 'vitest';
import {
  retryWhileThrottled,
  retryWhileTransient,
  type ThrottleBackoff,
} from '../../shared/adapters/throttle-backoff.js';

const throttled = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 429 },
  });

/** A clock that only moves when the backoff sleeps, so the test is exact. */
function virtualBackoff(deadlineInMs: number): ThrottleBackoff & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    baseMs: 50,
    capMs: 1000,
    deadline: () => now + deadlineInMs,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
    sleeps,
  };
}

describe('retrying throttled participant calls inside the invocation', () => {
  it('waits and retries until the call goes through', async () => {
    const backoff = virtualBackoff(10_000);
    let calls = 0;

    const result = await retryWhileThrottled(async () => {
      calls++;
      if (calls < 4) throw throttled();
      return 'sent';
    }, backoff);

    expect(result).toBe('sent');
    expect(calls).toBe(4);
    expect(backoff.sleeps).toHaveLength(3);
    for (const sleep of backoff.sleeps) expect(sleep).toBeLessThanOrEqual(1000);
  });

  it('gives up with the throttling error once the next wait would pass the deadline', async () => {
    const backoff = virtualBackoff(2_000);

    const attempt = retryWhileThrottled(async () => {
      throw throttled();
    }, backoff);

    await expect(attempt).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(backoff.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(2_000);
  });

  it('does not retry errors other than throttling', async () => {
    const backoff = virtualBackoff(10_000);
    let calls = 0;

    const attempt = retryWhileThrottled(async () => {
      calls++;
      throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    }, backoff);

    await expect(attempt).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(calls).toBe(1);
  });

  it('retries timeouts and connection resets too, for calls that are safe to repeat', async () => {
    const backoff = virtualBackoff(10_000);
    let calls = 0;

    const result = await retryWhileTransient(async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      if (calls === 2)
        throw Object.assign(new Error('internal'), {
          name: 'InternalServerException',
          $metadata: { httpStatusCode: 500 },
        });
      return 'sent';
    }, backoff);

    expect(result).toBe('sent');
    expect(calls).toBe(3);
  });

  it('never retries a timeout on a send that is not safe to repeat', async () => {
    const backoff = virtualBackoff(10_000);
    let calls = 0;

    const attempt = retryWhileThrottled(async () => {
      calls++;
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    }, backoff);

    await expect(attempt).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(calls).toBe(1);
  });
});

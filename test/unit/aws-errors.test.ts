import { describe, expect, it } from 'vitest';
import { classifyAwsError, isCertainlyUnsent, isTransient } from '../../shared/adapters/aws-errors.js';
import { RetryableError } from '../../shared/domain/errors.js';

/** A Node socket error as the SDK's HTTP handler lets it through: a plain Error with a `code`. */
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code });

const awsError = (name: string, httpStatusCode: number, message = name) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });

describe('classifying failed AWS calls', () => {
  it.each([
    ['a DNS failure (ENOTFOUND)', socketError('ENOTFOUND')],
    ['a DNS timeout (EAI_AGAIN)', socketError('EAI_AGAIN')],
    ['a refused connection (ECONNREFUSED)', socketError('ECONNREFUSED')],
    ['no route to the host (EHOSTUNREACH)', socketError('EHOSTUNREACH')],
    ['throttling', awsError('ThrottledRequestException', 429)],
    [
      'a Meta throughput limit inside an EUM refusal',
      awsError('ValidationException', 400, '(#130429) Rate limit hit'),
    ],
    ['a Meta pair rate limit', awsError('ValidationException', 400, '(#131056) pair rate limit hit')],
    ['a Meta spam rate limit', awsError('ValidationException', 400, '(#131048) Spam rate limit hit')],
  ])('retries %s, knowing the request had no effect', (_, error) => {
    // Act
    const verdict = { transient: isTransient(error), unsent: isCertainlyUnsent(error) };

    // Assess
    expect(verdict).toEqual({ transient: true, unsent: true });
  });

  it.each([
    ['a connection reset (ECONNRESET)', socketError('ECONNRESET')],
    ['a socket timeout (ETIMEDOUT)', socketError('ETIMEDOUT')],
    ['a broken pipe (EPIPE)', socketError('EPIPE')],
    ['a 5xx', awsError('InternalServiceException', 500)],
    ['an SDK timeout', awsError('TimeoutError', 0)],
  ])('retries %s, but as a call that may have taken effect', (_, error) => {
    // Act
    const verdict = { transient: isTransient(error), unsent: isCertainlyUnsent(error) };

    // Assess
    expect(verdict).toEqual({ transient: true, unsent: false });
  });

  it.each([
    ['a validation error', awsError('ValidationException', 400, 'Invalid message')],
    [
      'a Meta refusal that is not a rate limit',
      awsError('ValidationException', 400, '(#131062) BSUID recipient not supported'),
    ],
    ['missing permissions', awsError('AccessDeniedException', 403)],
  ])('does not retry %s', (_, error) => {
    // Act
    const transient = isTransient(error);

    // Assess
    expect(transient).toBe(false);
  });

  it('names a network failure by its socket code, for metrics and logs', () => {
    // Act
    const classified = classifyAwsError('SendWhatsAppMessage', socketError('EAI_AGAIN'));

    // Assess
    expect(classified).toBeInstanceOf(RetryableError);
    expect((classified as RetryableError).reason).toBe('SendWhatsAppMessage:EAI_AGAIN');
  });
});

import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

/** What the Lambda context offers that the relay uses. */
export interface LambdaContextLike {
  getRemainingTimeInMillis?: () => number;
}

/**
 * The current invocation's deadline, for waits (throttling backoff) that must end while there is
 * still time to report the batch. Lambda runs one invocation per container at a time, so one
 * mutable deadline per container is enough.
 */
export class InvocationDeadline {
  private deadline = Date.now() + 20_000;

  /** Epoch ms by which waiting must stop. */
  readonly get = (): number => this.deadline;

  /** Wraps a batch handler so each invocation first notes its own deadline (less a margin to report). */
  wrap(handler: (event: SQSEvent) => Promise<SQSBatchResponse>, marginMs = 5_000) {
    return (event: SQSEvent, context?: LambdaContextLike): Promise<SQSBatchResponse> => {
      this.deadline = Date.now() + (context?.getRemainingTimeInMillis?.() ?? 25_000) - marginMs;
      return handler(event);
    };
  }
}

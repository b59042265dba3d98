import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** What goes wrong with one HTTP attempt to DynamoDB. `exit`: the process is gone, no retry. */
export type DynamoDbFault = 'throttle' | 'server-error' | 'timeout' | 'exit';

/**
 * Decides per HTTP attempt. `before`: the request never reaches the table. `after`: the table
 * applied it, then the answer is replaced by the fault (a lost response, or a 500 for a write that
 * succeeded, which DynamoDB documents as possible).
 */
export type DynamoDbFaultInjector = (
  operation: string,
  phase: 'before' | 'after',
  request: DynamoDbRequest,
) => DynamoDbFault | undefined;

/** The JSON body of a DynamoDB request (Key, Item, UpdateExpression, …). */
export type DynamoDbRequest = Record<string, unknown>;

interface HttpRequestLike {
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

type Handle = (request: HttpRequestLike, options?: unknown) => Promise<{ response: unknown }>;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Injects faults beneath the SDK, at each relay DynamoDB client's HTTP handler, so the SDK's own
 * retries (index.ts: standard mode, 3 attempts) run as in production. That also produces the
 * nasty real case: a conditional write whose first attempt took effect is retried by the SDK and
 * fails its own condition.
 *
 * DynamoDB is the real emulator, not a mock, so there is no fake to hook: the prototype's `send`
 * is wrapped only to reach each client's handler the first time it is used. `exempt` clients (the
 * test's own reads) are left alone.
 */
export function injectDynamoDbFaults(options: {
  readonly exempt: readonly DynamoDBClient[];
  readonly faults: DynamoDbFaultInjector;
}): { restore(): void } {
  const prototype = DynamoDBClient.prototype as unknown as { send: (...args: unknown[]) => unknown };
  const hadOwnSend = Object.hasOwn(prototype, 'send');
  const originalSend = prototype.send;
  const wrapped = new Map<{ handle: Handle }, Handle>();

  prototype.send = function (this: DynamoDBClient, ...args: unknown[]) {
    const handler = (this.config as unknown as { requestHandler?: { handle: Handle } }).requestHandler;
    if (handler && !options.exempt.includes(this) && !wrapped.has(handler)) {
      const handle = handler.handle.bind(handler);
      wrapped.set(handler, handler.handle);
      handler.handle = async (request, handlerOptions) => {
        const operation = request.headers['x-amz-target']?.split('.')[1] ?? 'Unknown';
        const body = parseBody(request.body);
        const before = options.faults(operation, 'before', body);
        if (before) return failWith(before);
        const result = await handle(request, handlerOptions);
        const after = options.faults(operation, 'after', body);
        return after ? failWith(after) : result;
      };
    }
    return originalSend.apply(this, args);
  };

  return {
    restore() {
      if (hadOwnSend) prototype.send = originalSend;
      else delete (prototype as { send?: unknown }).send;
      for (const [handler, handle] of wrapped) handler.handle = handle;
    },
  };
}

function parseBody(body: unknown): DynamoDbRequest {
  const text = typeof body === 'string' ? body : body instanceof Uint8Array ? decoder.decode(body) : '{}';
  try {
    return JSON.parse(text) as DynamoDbRequest;
  } catch {
    return {};
  }
}

/** What the SDK would receive: an error response it deserializes, or a socket timeout. */
function failWith(fault: DynamoDbFault): { response: unknown } {
  if (fault === 'timeout') {
    throw Object.assign(new Error('Connection timed out after the request was sent'), {
      name: 'TimeoutError',
    });
  }
  const [statusCode, type, message] =
    fault === 'throttle'
      ? [
          400,
          'ProvisionedThroughputExceededException',
          'The level of configured provisioned throughput was exceeded',
        ]
      : [500, 'InternalServerError', 'Internal server error'];
  return {
    response: {
      statusCode,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type },
      body: encoder.encode(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message })),
    },
  };
}

import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedCall } from './fake-aws-server.js';

/**
 * A pass-through proxy in front of the DynamoDB emulator that records each operation (from the
 * X-Amz-Target header) with its timing, so benchmarks list and count DynamoDB calls too. It can
 * add latency, to see the critical path with every AWS call priced the same.
 */
export async function startDynamoProxy(target: string, calls: RecordedCall[]) {
  const upstream = new URL(target);
  const state = { latencyMs: 0 };
  const server = createServer((incoming, outgoing) => {
    const start = performance.now();
    const operation = `DynamoDB.${String(incoming.headers['x-amz-target'] ?? '')
      .split('.')
      .pop()}`;
    const forward = () => {
      const proxied = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 500, response.headers);
          response.pipe(outgoing);
          response.on('end', () =>
            calls.push({ operation, start, end: performance.now(), status: response.statusCode ?? 0 }),
          );
        },
      );
      incoming.pipe(proxied);
    };
    if (state.latencyMs) setTimeout(forward, state.latencyMs);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    setLatency(ms: number) {
      state.latencyMs = ms;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

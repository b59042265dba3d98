import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeConnect } from '../../test/support/fake-connect.js';
import type { FakeWhatsApp } from '../../test/support/fake-whatsapp.js';

/**
 * Serves the Connect, participant-service and EUM Social fakes over loopback HTTP in the REST-JSON
 * shape the real SDK clients speak. The functions under test then run their whole SDK stack
 * (serialisation, signing, retries, HTTP) exactly as in Lambda; only the far end is fake.
 * Every call is recorded with its start and end, so a benchmark can list the critical path.
 */
interface Route {
  readonly operation: string;
  readonly service: 'connect' | 'whatsapp';
  /** The participant service carries its token in X-Amz-Bearer. */
  readonly bearer?: 'ParticipantToken' | 'ConnectionToken';
}

const ROUTES: Record<string, Route> = {
  'PUT /contact/chat': { operation: 'StartChatContact', service: 'connect' },
  'POST /contact/start-streaming': { operation: 'StartContactStreaming', service: 'connect' },
  'POST /participant/connection': {
    operation: 'CreateParticipantConnection',
    service: 'connect',
    bearer: 'ParticipantToken',
  },
  'POST /participant/message': { operation: 'SendMessage', service: 'connect', bearer: 'ConnectionToken' },
  'POST /participant/event': { operation: 'SendEvent', service: 'connect', bearer: 'ConnectionToken' },
  'POST /participant/attachment': {
    operation: 'GetAttachment',
    service: 'connect',
    bearer: 'ConnectionToken',
  },
  'POST /participant/start-attachment-upload': {
    operation: 'StartAttachmentUpload',
    service: 'connect',
    bearer: 'ConnectionToken',
  },
  'POST /participant/complete-attachment-upload': {
    operation: 'CompleteAttachmentUpload',
    service: 'connect',
    bearer: 'ConnectionToken',
  },
  'POST /v1/whatsapp/send': { operation: 'SendWhatsAppMessage', service: 'whatsapp' },
};

/**
 * More operations a caller serves itself (the sandbox: templates, media, S3, DescribeContact).
 * Returns undefined for a request it does not serve; a thrown error is answered like a fake's.
 */
export type ExtraRoutes = (
  request: IncomingMessage,
  body: Buffer,
) => Promise<{ operation: string; status?: number; contentType?: string; body: unknown } | undefined>;

export interface FakeAwsServerOptions {
  readonly extraRoutes?: ExtraRoutes;
  /** Told of every call as it ends (the sandbox's event log). */
  readonly onCall?: (call: RecordedCall) => void;
}

export interface RecordedCall {
  readonly operation: string;
  readonly start: number;
  readonly end: number;
  readonly status: number;
}

export interface FakeAwsServer {
  readonly endpoint: string;
  readonly calls: RecordedCall[];
  /** Extra latency for every call from now on (ms), on top of the fakes' own. */
  latencyMs: number;
  stop(): Promise<void>;
}

/** One SendMessageBatch entry as an ordering stage sends it to its FIFO queue. */
export interface SqsEntry {
  readonly Id: string;
  readonly MessageBody: string;
  readonly MessageGroupId?: string;
  readonly MessageDeduplicationId?: string;
}

/** Where the fake SQS puts what it is sent (a simulated FIFO queue, say). */
export type SqsSink = (queueUrl: string, entries: readonly SqsEntry[]) => void;

export async function startFakeAwsServer(
  connect: FakeConnect,
  whatsApp: FakeWhatsApp,
  sqs: SqsSink = () => undefined,
  options: FakeAwsServerOptions = {},
): Promise<FakeAwsServer> {
  const calls: RecordedCall[] = [];
  const record = (call: RecordedCall) => {
    calls.push(call);
    options.onCall?.(call);
  };
  const state = { latencyMs: 0 };
  const server: Server = createServer(async (request, response) => {
    const start = performance.now();
    // SQS speaks AWS JSON 1.0: POST / with the operation in X-Amz-Target.
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string' && target.startsWith('AmazonSQS.')) {
      return answerSqs(request, response, target.slice('AmazonSQS.'.length), sqs, state.latencyMs, (status) =>
        record({
          operation: `SQS.${target.slice('AmazonSQS.'.length)}`,
          start,
          end: performance.now(),
          status,
        }),
      );
    }
    const route = ROUTES[`${request.method} ${(request.url ?? '').split('?')[0]}`];
    if (!route && options.extraRoutes) {
      const served = await serveExtra(request, response, options.extraRoutes);
      return record({ ...served, start, end: performance.now() });
    }
    const reply = (status: number, body: unknown, errorType?: string) => {
      response.writeHead(status, {
        'content-type': 'application/json',
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      response.end(JSON.stringify(body));
      record({
        operation: route?.operation ?? `${request.method} ${request.url}`,
        start,
        end: performance.now(),
        status,
      });
    };
    if (!route) return reply(404, { message: 'No such operation in the fake' }, 'UnknownOperationException');
    try {
      const body = await readJson(request);
      if (state.latencyMs) await new Promise((resolve) => setTimeout(resolve, state.latencyMs));
      const bearer = request.headers['x-amz-bearer'];
      const input = {
        ...body,
        ...(route.bearer && typeof bearer === 'string' ? { [route.bearer]: bearer } : {}),
      };
      const output =
        route.service === 'whatsapp'
          ? await whatsApp.invoke({
              ...(input as { originationPhoneNumberId?: string; metaApiVersion?: string }),
              message: Buffer.from(String(input.message ?? ''), 'base64'),
            })
          : await connect.invoke(route.operation, input);
      const { $metadata: _ignored, ...fields } = output as Record<string, unknown>;
      reply(200, fields);
    } catch (error) {
      const failure = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      const status =
        failure.$metadata?.httpStatusCode ??
        (/Throttl/.test(failure.name ?? '') ? 429 : failure.name === 'AccessDeniedException' ? 403 : 500);
      reply(status, { message: failure.message ?? 'error' }, failure.name ?? 'InternalServerException');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(value: number) {
      state.latencyMs = value;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** SendMessage and SendMessageBatch, answered with the MD5 of each body, as the SDK checks it. */
async function answerSqs(
  request: IncomingMessage,
  response: import('node:http').ServerResponse,
  operation: string,
  sink: SqsSink,
  latencyMs: number,
  record: (status: number) => void,
): Promise<void> {
  const input = (await readJson(request)) as {
    QueueUrl?: string;
    Entries?: SqsEntry[];
    MessageBody?: string;
  };
  if (latencyMs) await new Promise((resolve) => setTimeout(resolve, latencyMs));
  const md5 = (body: string) => createHash('md5').update(body).digest('hex');
  const entries =
    operation === 'SendMessageBatch'
      ? (input.Entries ?? [])
      : [{ Id: '0', MessageBody: input.MessageBody ?? '' }];
  sink(input.QueueUrl ?? '', entries);
  const body =
    operation === 'SendMessageBatch'
      ? {
          Successful: entries.map((entry) => ({
            Id: entry.Id,
            MessageId: `fake-${entry.Id}`,
            MD5OfMessageBody: md5(entry.MessageBody),
          })),
          Failed: [],
        }
      : { MessageId: 'fake-dlq', MD5OfMessageBody: md5(input.MessageBody ?? '') };
  response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
  response.end(JSON.stringify(body));
  record(200);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(request)).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Answers a request through the caller's extra routes; undefined when they do not serve it. */
async function serveExtra(
  request: IncomingMessage,
  response: import('node:http').ServerResponse,
  extraRoutes: ExtraRoutes,
): Promise<{ operation: string; status: number }> {
  const body = await readBody(request);
  try {
    const answer = await extraRoutes(request, body);
    if (!answer) {
      response.writeHead(404, { 'x-amzn-errortype': 'UnknownOperationException' });
      response.end(JSON.stringify({ message: 'No such operation in the fake' }));
      return { operation: `${request.method} ${request.url}`, status: 404 };
    }
    const status = answer.status ?? 200;
    const contentType = answer.contentType ?? 'application/json';
    response.writeHead(status, { 'content-type': contentType });
    response.end(
      answer.body instanceof Uint8Array
        ? answer.body
        : contentType === 'application/json'
          ? JSON.stringify(answer.body)
          : String(answer.body),
    );
    return { operation: answer.operation, status };
  } catch (error) {
    const failure = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = failure.$metadata?.httpStatusCode ?? 400;
    response.writeHead(status, {
      'content-type': 'application/json',
      'x-amzn-errortype': failure.name ?? 'Error',
    });
    response.end(JSON.stringify({ message: failure.message ?? 'error' }));
    return { operation: `${request.method} ${(request.url ?? '').split('?')[0]}`, status };
  }
}

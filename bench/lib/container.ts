import { type ChildProcess, fork } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

export interface InvocationResult {
  readonly response?: SQSBatchResponse;
  readonly error?: string;
  readonly wallMs: number;
  readonly cpuMicros: number;
}

/** A Lambda container: a separate `node` process running the deployed bundle. */
export interface Container {
  readonly initMs: number;
  /** Bytes the function wrote to stdout (its logs and metrics), since it started. */
  stdoutBytes(): number;
  invoke(event: SQSEvent): Promise<InvocationResult>;
  stop(): void;
}

export async function startContainer(
  bundle: string,
  env: Record<string, string>,
  options: { execArgv?: string[] } = {},
): Promise<Container> {
  const child: ChildProcess = fork('bench/container-runner.mjs', [pathToFileURL(bundle).href], {
    execArgv: options.execArgv ?? [],
    env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  // Logs are counted (CloudWatch charges by the byte) and otherwise dropped.
  let stdoutBytes = 0;
  child.stdout?.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    if (process.env.BENCH_CONTAINER_STDOUT) process.stdout.write(chunk);
  });
  const pending = new Map<number, (result: InvocationResult) => void>();
  let sequence = 0;
  const initMs = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`container exited (${code}) before it was ready`)));
    child.on('message', (message: { type: string; id?: number; initMs?: number } & InvocationResult) => {
      if (message.type === 'ready') resolve(message.initMs ?? 0);
      if (message.type === 'result' && message.id !== undefined) {
        pending.get(message.id)?.(message);
        pending.delete(message.id);
      }
    });
  });
  child.removeAllListeners('exit');
  return {
    initMs,
    stdoutBytes: () => stdoutBytes,
    invoke(event) {
      sequence += 1;
      const id = sequence;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        child.send({ type: 'invoke', id, event });
      });
    },
    stop() {
      child.send({ type: 'exit' });
    },
  };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createRelayTable } from '../../test/support/dynamodb-emulator.js';

/**
 * The DynamoDB emulator the tests use (dynalite), run in its own process so that its CPU is not
 * counted as the relay's.
 */
export interface DynaliteProcess {
  readonly endpoint: string;
  createTable(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startDynaliteProcess(): Promise<DynaliteProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['node_modules/dynalite/cli.js', '--port', String(port), '--host', '127.0.0.1', '--createTableMs', '0'],
    {
      stdio: 'ignore',
    },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'b', secretAccessKey: 'b' },
  });
  await waitUntilUp(client);
  return {
    endpoint,
    createTable: (name) => createRelayTable(client, name),
    async stop() {
      client.destroy();
      child.kill();
    },
  };
}

async function waitUntilUp(client: DynamoDBClient): Promise<void> {
  const { ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error('dynalite did not start');
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

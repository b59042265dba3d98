import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * Runs each SDK client's request pipeline once during Lambda init: middleware resolution,
 * endpoint rules, credentials, serialisation and signing, then an already-aborted signal stops
 * the request before it opens a socket. Without this, the first invocation of every container
 * pays for all of it while a customer waits.
 */
export async function primeRequestPipelines(
  sends: ReadonlyArray<(abortSignal: AbortSignal) => Promise<unknown>>,
): Promise<void> {
  const abortSignal = AbortSignal.abort();
  await Promise.allSettled(sends.map((send) => send(abortSignal)));
}

/** A DynamoDB GetItem for priming: signs and serialises like the relay's own reads. */
export function primeDynamoDb(
  client: DynamoDBClient,
  tableName: string,
): (abortSignal: AbortSignal) => Promise<unknown> {
  return (abortSignal) =>
    client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'priming' } } }), { abortSignal });
}

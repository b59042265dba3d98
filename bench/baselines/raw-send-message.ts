import { ConnectParticipantClient, SendMessageCommand } from '@aws-sdk/client-connectparticipant';

// Baseline: the least any inbound relay must do per message, one SendMessage through the SDK.
const client = new ConnectParticipantClient({ maxAttempts: 3, retryMode: 'standard' });
let sequence = 0;

export const handler = async () => {
  sequence += 1;
  await client.send(
    new SendMessageCommand({
      ConnectionToken: process.env.BASELINE_CONNECTION_TOKEN ?? '',
      ContentType: 'text/plain',
      Content: `baseline ${sequence}`,
      ClientToken: `baseline-${process.pid}-${sequence}`,
    }),
  );
  return { batchItemFailures: [] };
};

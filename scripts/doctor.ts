/**
 * `npm run doctor -- --config config/relay.json [--live-test <test phone>] [--template name:lang] [--yes]`
 *
 * Checks a deployed relay with your AWS credentials (the usual chain: AWS_PROFILE, environment,
 * SSO) in the Region of the configured Connect instance, and prints a checklist. Read-only unless
 * --live-test is given and you consent. The checks live in doctor/; this file only builds the SDK
 * clients and the terminal prompts.
 */
import { createInterface } from 'node:readline/promises';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ConnectClient } from '@aws-sdk/client-connect';
import { ConnectParticipantClient } from '@aws-sdk/client-connectparticipant';
import { KMSClient } from '@aws-sdk/client-kms';
import { SNSClient } from '@aws-sdk/client-sns';
import { SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DoctorUsageError } from '../doctor/cli.js';
import { doctorMain } from '../doctor/main.js';
import { RelayConfigError } from '../infra/config/relay-config.js';

const builder = {
  async confirm(question: string): Promise<boolean> {
    const terminal = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return /^y(es)?$/i.test((await terminal.question(`${question} [y/N] `)).trim());
    } finally {
      terminal.close();
    }
  },
  tell: (message: string) => process.stdout.write(`${message}\n`),
};

try {
  process.exitCode = await doctorMain(process.argv.slice(2), {
    write: (text) => process.stdout.write(text),
    builder,
    clock: { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    clientsFor: ({ region }) => ({
      cloudFormation: new CloudFormationClient({ region }),
      // SendWhatsAppMessage takes no idempotency token: the SDK must not retry it (eum-whatsapp-sender.ts).
      socialMessaging: new SocialMessagingClient({ region, maxAttempts: 1 }),
      connect: new ConnectClient({ region }),
      connectParticipant: new ConnectParticipantClient({ region }),
      kms: new KMSClient({ region }),
      sns: new SNSClient({ region }),
      sqs: new SQSClient({ region }),
      cloudWatch: new CloudWatchClient({ region }),
    }),
  });
} catch (error) {
  if (!(error instanceof DoctorUsageError || error instanceof RelayConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
}

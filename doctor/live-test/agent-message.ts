import { type ConnectClient, CreateParticipantCommand } from '@aws-sdk/client-connect';
import {
  type ConnectParticipantClient,
  CreateParticipantConnectionCommand,
  GetTranscriptCommand,
  SendMessageCommand,
} from '@aws-sdk/client-connectparticipant';
import type { DoctorTarget } from '../target.js';
import { type Clock, waitFor } from './ports.js';

/** The agent-side test message, once Connect has taken it. */
export interface SentTestMessage {
  readonly messageId: string;
  readonly sentAt: number;
  readonly connectionToken: string;
}

/** The doctor's name in the chat, so the agent and the customer can tell it is a test. */
export const TEST_PARTICIPANT_NAME = 'Relay doctor (test)';

/** What the test participant says: the builder looks for it on the phone. */
export const TEST_MESSAGE = 'Relay doctor: this is the agent-side test message. No need to reply.';

/**
 * Joins the chat as a test participant and says something the customer sees. CreateParticipant
 * adds a CUSTOM_BOT to a chat ("The only valid value for ParticipantRole is CUSTOM_BOT for chat
 * contact", botocore connect); its token opens a connection (CreateParticipantConnection,
 * CONNECTION_CREDENTIALS) that can SendMessage. The relay forwards every message not said by the
 * customer (infra/constructs/streaming-filter.ts), so this is the path an agent's reply takes.
 */
export async function sendAgentSideMessage(
  clients: { readonly connect: ConnectClient; readonly connectParticipant: ConnectParticipantClient },
  target: DoctorTarget,
  contactId: string,
  clock: Clock,
): Promise<SentTestMessage> {
  const { ParticipantCredentials } = await clients.connect.send(
    new CreateParticipantCommand({
      InstanceId: target.instanceId,
      ContactId: contactId,
      ParticipantDetails: { ParticipantRole: 'CUSTOM_BOT', DisplayName: TEST_PARTICIPANT_NAME },
    }),
  );
  const participantToken = ParticipantCredentials?.ParticipantToken;
  if (!participantToken) throw new Error('CreateParticipant returned no participant token');
  const { ConnectionCredentials } = await clients.connectParticipant.send(
    new CreateParticipantConnectionCommand({
      ParticipantToken: participantToken,
      Type: ['CONNECTION_CREDENTIALS'],
      ConnectParticipant: true,
    }),
  );
  const connectionToken = ConnectionCredentials?.ConnectionToken;
  if (!connectionToken) throw new Error('CreateParticipantConnection returned no connection token');
  const sentAt = clock.now();
  const { Id } = await clients.connectParticipant.send(
    new SendMessageCommand({
      ConnectionToken: connectionToken,
      ContentType: 'text/plain',
      Content: TEST_MESSAGE,
    }),
  );
  if (!Id) throw new Error('SendMessage returned no message id');
  return { messageId: Id, sentAt, connectionToken };
}

/**
 * When WhatsApp delivered the test message: its delivery receipt in the transcript (GetTranscript
 * → `MessageMetadata.Receipts[].DeliveredTimestamp`), which the relay posts when Meta reports
 * the message delivered. Undefined when no receipt came within the wait.
 */
export async function deliveredAt(
  connectParticipant: ConnectParticipantClient,
  sent: SentTestMessage,
  clock: Clock,
  waitMs: number,
  pollMs: number,
): Promise<number | undefined> {
  return waitFor(clock, waitMs, pollMs, async () => {
    const { Transcript } = await connectParticipant.send(
      new GetTranscriptCommand({
        ConnectionToken: sent.connectionToken,
        ScanDirection: 'BACKWARD',
        SortOrder: 'DESCENDING',
        MaxResults: 50,
      }),
    );
    const item = Transcript?.find((candidate) => candidate.Id === sent.messageId);
    const delivered = item?.MessageMetadata?.Receipts?.find(
      (receipt) => receipt.DeliveredTimestamp,
    )?.DeliveredTimestamp;
    return delivered ? Date.parse(delivered) : undefined;
  });
}

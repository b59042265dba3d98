/**
 * Try the relay locally with no AWS account: the real inbound handler runs against an in-memory
 * DynamoDB emulator, with Amazon Connect faked at the SDK boundary. It replays a short WhatsApp
 * conversation and prints what the agent would see in the Connect chat.
 *
 *   npm run local
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { startDynamoDbEmulator } from '../test/support/dynamodb-emulator.js';
import { FakeConnect } from '../test/support/fake-connect.js';
import {
  BUSINESS,
  eumEnvelope,
  sqsEvent,
  sqsRecordFor,
  textMessage,
  wamid,
} from '../test/support/whatsapp-events.js';

const emulator = await startDynamoDbEmulator();
await emulator.createTable('relay-local');
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: emulator.endpoint,
  CONVERSATION_TABLE_NAME: 'relay-local',
  CONNECT_INSTANCE_ID: 'a1b2c3d4-5678-90ab-cdef-111122223333',
  STREAMING_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:connect-chat-streaming',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111122223333/local-dlq',
  MEDIA_BUCKET_NAME: 'relay-local-media',
  BUSINESS_NUMBERS: JSON.stringify([
    { phoneNumberId: BUSINESS.phoneNumberId, inboundFlowId: 'local-inbound-flow' },
  ]),
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  POWERTOOLS_METRICS_DISABLED: 'true',
});
const connect = new FakeConnect();
mockClient(SQSClient).on(SendMessageCommand).resolves({ $metadata: {} });
const { handler } = await import('../functions/inbound/index.js');

const customer = '447700900123';
const now = Math.floor(Date.now() / 1000);
const conversation = [
  textMessage({ from: customer, body: 'Hi! My parcel 4471 has not arrived.', timestamp: now }),
  {
    from: customer,
    id: wamid(),
    timestamp: String(now + 5),
    type: 'location',
    location: { latitude: 51.5072, longitude: -0.1276, name: 'Home', address: '10 Example Street, London' },
  },
  {
    from: customer,
    id: wamid(),
    timestamp: String(now + 9),
    type: 'reaction',
    reaction: { message_id: 'wamid.x', emoji: '👍' },
  },
  textMessage({ from: customer, body: 'Thanks!', timestamp: now + 12 }),
];

console.log('WhatsApp customer → relay → Amazon Connect (faked locally)\n');
for (const message of conversation) {
  const result = await handler(
    sqsEvent(sqsRecordFor(eumEnvelope({ messages: [message], profileName: 'Sam' }))),
  );
  if (result.batchItemFailures.length > 0) console.log('  (record failed and would be retried)');
}
for (const contact of connect.contacts.values()) {
  console.log(`Chat ${contact.contactId} (display name: ${contact.input.ParticipantDetails?.DisplayName})`);
  console.log(`  attributes: ${JSON.stringify(contact.input.Attributes)}`);
  for (const line of connect.transcript(contact.contactId))
    console.log(`  customer › ${line.replace(/\n/g, '\n             ')}`);
}
console.log(`\nConnect calls: ${connect.calls.map((call) => call.operation).join(', ')}`);
connect.restore();
await emulator.stop();

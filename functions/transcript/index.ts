import { ConnectParticipantClient } from '@aws-sdk/client-connectparticipant';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { TranscribeClient } from '@aws-sdk/client-transcribe';
import { ConnectParticipantService } from '../../shared/adapters/connect-chat-service.js';
import { conversationStores } from '../../shared/adapters/conversation-stores.js';
import { throttleBackoff } from '../../shared/adapters/throttle-backoff.js';
import { TranscribeJobs } from '../../shared/adapters/transcribe-jobs.js';
import { TRANSCRIPT_PREFIX } from '../../shared/config/media-bucket.js';
import { loadTranscriptConfig } from '../../shared/config/transcript-config.js';
import { createObservability } from '../../shared/observability/telemetry.js';
import { CustomerConnection } from '../../shared/use-cases/customer-connection.js';
import { PostVoiceTranscript } from '../../shared/use-cases/post-voice-transcript.js';
import { makeHandler } from './handler.js';

// Bundle entry: configuration and clients are built once per container and reused.
const config = loadTranscriptConfig(process.env);
const { telemetry, flushMetrics } = createObservability('whatsapp-transcript');
const clientOptions = { maxAttempts: 3, retryMode: 'standard' } as const;
// Throttled participant calls wait in place for up to 10 s (the function has 30 s).
const backoff = throttleBackoff();

const dynamo = new DynamoDBClient(clientOptions);
const { conversations, transcriptJobs } = conversationStores(dynamo, config);
// Only participant calls (bearer tokens): no Connect contact permissions needed.
const chat = new ConnectParticipantService(new ConnectParticipantClient(clientOptions), backoff);

/** The Lambda entry: one EventBridge "Transcribe Job State Change" per invocation. */
export const handler = makeHandler({
  postTranscript: new PostVoiceTranscript({
    records: transcriptJobs,
    results: new TranscribeJobs(new TranscribeClient(clientOptions), new S3Client(clientOptions), {
      bucketName: config.MEDIA_BUCKET_NAME,
      transcriptPrefix: TRANSCRIPT_PREFIX,
    }),
    conversations,
    connection: new CustomerConnection({
      chat,
      conversations,
      telemetry,
      now: Date.now,
      refreshMarginMs: 60_000,
    }),
    chat,
    telemetry,
  }),
  jobPrefix: config.TRANSCRIPTION_JOB_PREFIX,
  telemetry,
  flush: flushMetrics,
});

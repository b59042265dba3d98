/**
 * Environment every function's config needs at import time in the benchmark (the same values the
 * tests use). Endpoints are filled in by the harness.
 */
export const BENCH_INSTANCE_ID = 'a1b2c3d4-5678-90ab-cdef-111122223333';
export const BENCH_PHONE_NUMBER_ID = 'phone-number-id-0123456789abcdef0123456789abcdef';

export function functionEnvironment(tableName: string): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    CONVERSATION_TABLE_NAME: tableName,
    CONNECT_INSTANCE_ID: BENCH_INSTANCE_ID,
    STREAMING_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:connect-chat-streaming',
    DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111122223333/bench-dlq',
    // The ordering stages' FIFO queue (the bench world points it at the fake SQS).
    ORDERED_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111122223333/bench-ordered.fifo',
    BUSINESS_NUMBERS: JSON.stringify([{ phoneNumberId: BENCH_PHONE_NUMBER_ID, inboundFlowId: 'bench-flow' }]),
    META_API_VERSION: 'v23.0',
    MEDIA_BUCKET_NAME: 'bench-media-bucket',
    CUSTOMERS_TABLE_NAME: 'bench-customers',
    WHATSAPP_BUSINESS_ACCOUNT_ID: 'waba-0123456789abcdef0123456789abcdef',
    TEMPLATE_SENDER_PHONE_NUMBER_ID: BENCH_PHONE_NUMBER_ID,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}

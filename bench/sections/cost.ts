import { round } from '../lib/stats.js';

/**
 * Published us-east-1 on-demand prices, as constants (checked November 2026 against the AWS
 * pricing pages; verify before quoting). Prices change; the formulas below do not.
 */
export const PRICES_USD = {
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1e6,
  sqsPerRequest: 0.4 / 1e6,
  snsPerPublish: 0.5 / 1e6,
  dynamoPerWriteRequestUnit: 0.625 / 1e6,
  dynamoPerReadRequestUnit: 0.125 / 1e6,
  kmsPerRequest: 0.03 / 1e4,
  cloudWatchLogsPerGbIngested: 0.5,
  // What the relay cannot avoid, for comparison:
  connectChatPerMessage: 0.004,
  eumSocialPerWhatsAppMessage: 0.005,
  metaServiceMessageInWindow: 0,
} as const;

export interface MeasuredDirection {
  readonly name: string;
  /** Median billed duration per message, in ms, measured with realistic per-call latency. */
  readonly durationMs: number;
  readonly memoryMb: number;
  /** DynamoDB requests per message, counted at the emulator. */
  readonly dynamoWrites: number;
  readonly dynamoReads: number;
  /** Log bytes written per message, measured. */
  readonly logBytes: number;
}

export interface CostRow {
  direction: string;
  lambdaUsd: number;
  sqsUsd: number;
  snsUsd: number;
  dynamoUsd: number;
  kmsUsd: number;
  logsUsd: number;
  relayTotalUsd: number;
  connectUsd: number;
  whatsAppUsd: number;
  relayShareOfTotal: string;
}

/**
 * Cost per 1,000 relayed messages. Assumptions, stated so they can be argued with: one Lambda
 * invocation per message (batches of one, the worst case), three SQS requests per message
 * (SNS delivery, receive, delete), one SNS publish, items under 1 KB (one request unit each), and
 * one KMS request per 100 messages thanks to 5-minute data-key reuse.
 */
export function costPerThousand(measured: MeasuredDirection): CostRow {
  const n = 1000;
  const gbSeconds = (measured.memoryMb / 1024) * (Math.max(1, Math.ceil(measured.durationMs)) / 1000);
  const lambda = n * (gbSeconds * PRICES_USD.lambdaArmPerGbSecond + PRICES_USD.lambdaPerRequest);
  const sqs = n * 3 * PRICES_USD.sqsPerRequest;
  const sns = n * PRICES_USD.snsPerPublish;
  const dynamo =
    n *
    (measured.dynamoWrites * PRICES_USD.dynamoPerWriteRequestUnit +
      measured.dynamoReads * PRICES_USD.dynamoPerReadRequestUnit);
  const kms = (n / 100) * PRICES_USD.kmsPerRequest;
  const logs = ((n * measured.logBytes) / 1024 ** 3) * PRICES_USD.cloudWatchLogsPerGbIngested;
  const relay = lambda + sqs + sns + dynamo + kms + logs;
  const connect = n * PRICES_USD.connectChatPerMessage;
  const whatsApp = n * (PRICES_USD.eumSocialPerWhatsAppMessage + PRICES_USD.metaServiceMessageInWindow);
  return {
    direction: measured.name,
    lambdaUsd: round(lambda, 5),
    sqsUsd: round(sqs, 5),
    snsUsd: round(sns, 5),
    dynamoUsd: round(dynamo, 5),
    kmsUsd: round(kms, 5),
    logsUsd: round(logs, 5),
    relayTotalUsd: round(relay, 4),
    connectUsd: round(connect, 2),
    whatsAppUsd: round(whatsApp, 2),
    relayShareOfTotal: `${round((relay / (relay + connect + whatsApp)) * 100, 3)}%`,
  };
}

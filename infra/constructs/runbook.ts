/**
 * The runbook entries of docs/operations.md that alarms and dashboard widgets point to. Each
 * alarm description ends with a link to its entry: `<runbookUrl>#<anchor>` when the builder
 * configured where the docs are published (alarms.runbookUrl), else the repository path
 * `docs/operations.md#<anchor>`, which works in any clone. test/infra/observability.test.ts checks
 * that every alarm links an entry whose heading is in docs/operations.md.
 */
export const RUNBOOK_ENTRIES = {
  deadLetters: 'Dead letters in a relay queue',
  backlog: 'Backlog: customers are waiting',
  functionErrors: 'A relay function fails',
  retriedFailures: 'Many records retried',
  latency: 'Messages are slow (p95 latency)',
  deliveryFailures: 'WhatsApp is not delivering (failed rate)',
  accountHealth: 'The business number was flagged or restricted',
  silence: 'A business number went silent',
  templateErrors: 'The template functions fail',
  templateThrottles: 'The template functions are throttled',
  templateSlow: 'The template functions are slow',
  templateSendFailures: 'Template sends fail',
} as const;

export type RunbookEntry = keyof typeof RUNBOOK_ENTRIES;

/**
 * Metrics counted with a Reason dimension; each has a runbook entry headed
 * "<metric> by Reason" that lists its reasons.
 */
export const REASON_METRICS = [
  'RelayFailures',
  'RejectedRecords',
  'MalformedItems',
  'MediaNotAttached',
  'ReceiptsDropped',
  'TemplateSendFailures',
  'TemplateFormRejected',
] as const;

/** The runbook heading of a metric with a Reason dimension. */
export function reasonHeading(metric: (typeof REASON_METRICS)[number]): string {
  return `${metric} by Reason`;
}

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

/** Where an entry is read: the published runbook's URL, or the repository path. */
export function runbookLink(entry: RunbookEntry, runbookUrl: string | undefined): string {
  return `${runbookUrl ?? 'docs/operations.md'}#${headingAnchor(RUNBOOK_ENTRIES[entry])}`;
}

/** An alarm description: what it means, what to do first, and the runbook entry (≤1,024 chars). */
export function alarmDescription(subject: string, meaning: string, firstStep: string, link: string): string {
  const text = `${subject}: ${meaning} Do: ${firstStep} Runbook: ${link}`;
  // CloudWatch: AlarmDescription is at most 1,024 characters (botocore PutMetricAlarm).
  if (text.length > 1024) throw new Error(`Alarm description of ${subject} is over 1,024 characters`);
  return text;
}

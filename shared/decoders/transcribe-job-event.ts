import * as z from 'zod';

/**
 * EventBridge "Transcribe Job State Change" (source `aws.transcribe`): the job's name and status
 * (Amazon Transcribe developer guide, "Using Amazon EventBridge with Amazon Transcribe"; EventBridge
 * event reference, "Amazon Transcribe events"). Delivery is best effort, so a job is never only
 * known from its event.
 */
const jobStateChangeSchema = z.object({
  source: z.literal('aws.transcribe'),
  'detail-type': z.literal('Transcribe Job State Change'),
  detail: z.object({
    TranscriptionJobName: z.string().min(1).max(200),
    TranscriptionJobStatus: z.string(),
  }),
});

export type TranscribeJobEvent =
  | { readonly kind: 'finished'; readonly jobName: string; readonly status: 'COMPLETED' | 'FAILED' }
  /** QUEUED or IN_PROGRESS: nothing to post yet (the rule lets only final states through). */
  | { readonly kind: 'in-progress'; readonly jobName: string; readonly status: string }
  | { readonly kind: 'malformed'; readonly detail: string };

/** Decodes the event the transcript function receives; never throws. */
export function decodeTranscribeJobEvent(event: unknown): TranscribeJobEvent {
  const parsed = jobStateChangeSchema.safeParse(event);
  if (!parsed.success) {
    return {
      kind: 'malformed',
      detail: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    };
  }
  const { TranscriptionJobName: jobName, TranscriptionJobStatus: status } = parsed.data.detail;
  return status === 'COMPLETED' || status === 'FAILED'
    ? { kind: 'finished', jobName, status }
    : { kind: 'in-progress', jobName, status };
}

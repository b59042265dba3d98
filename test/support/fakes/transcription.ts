import type { TranscriptJobRecord } from '../../../shared/domain/voice-transcription.js';
import type {
  TranscriptionJobs,
  TranscriptionOutcome,
  TranscriptionResults,
  TranscriptJobStore,
} from '../../../shared/ports/transcription.js';

/** The job → chat records, as the conversation table keeps them (conditional on not posted). */
export class InMemoryTranscriptJobs implements TranscriptJobStore {
  readonly items = new Map<string, TranscriptJobRecord>();

  async record(job: Omit<TranscriptJobRecord, 'posted'>): Promise<boolean> {
    if (this.items.get(job.jobName)?.posted) return false;
    this.items.set(job.jobName, { ...job, posted: false });
    return true;
  }
  async find(jobName: string) {
    return this.items.get(jobName);
  }
  async markPosted(jobName: string): Promise<boolean> {
    const item = this.items.get(jobName);
    if (!item || item.posted) return false;
    this.items.set(jobName, { ...item, posted: true });
    return true;
  }
}

/** Amazon Transcribe: jobs by name (a second start of a name is a conflict), outcomes scripted. */
export class FakeTranscribe implements TranscriptionJobs, TranscriptionResults {
  readonly started: Parameters<TranscriptionJobs['start']>[0][] = [];
  readonly outcomes = new Map<string, TranscriptionOutcome>();

  async start(job: Parameters<TranscriptionJobs['start']>[0]) {
    if (this.started.some((earlier) => earlier.jobName === job.jobName)) return 'already-started' as const;
    this.started.push(job);
    return 'started' as const;
  }
  async outcome(jobName: string): Promise<TranscriptionOutcome> {
    const outcome = this.outcomes.get(jobName);
    if (!outcome) throw new Error(`no such job ${jobName}`);
    return outcome;
  }
}

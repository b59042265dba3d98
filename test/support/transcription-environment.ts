import { readFileSync } from 'node:fs';
import {
  ConflictException,
  GetTranscriptionJobCommand,
  type LanguageCode,
  StartTranscriptionJobCommand,
  type StartTranscriptionJobCommandInput,
  TranscribeClient,
} from '@aws-sdk/client-transcribe';
import type { EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import { transcriptKey } from '../../shared/domain/voice-transcription.js';
import {
  INBOUND_FLOW_ID,
  type InboundEnvironment,
  SECOND_FLOW_ID,
  startInboundEnvironment,
} from './inbound-environment.js';
import { BUSINESS, SECOND_BUSINESS } from './whatsapp-events.js';

export const JOB_PREFIX = 'relay-test-vn-';
export const TRANSCRIPTION = { enabled: true, languages: ['pt-BR', 'es-US', 'en-US'], maxSeconds: 120 };

/**
 * The inbound environment with transcription on for BUSINESS (off for SECOND_BUSINESS), and
 * Amazon Transcribe at the SDK boundary: a job name is unique (a second start is a
 * ConflictException), `loseNextAnswers` makes starts take effect and then time out, and
 * `finish` completes a job with a transcript in the media bucket. `transcriptHandler` is the real
 * functions/transcript entry on the same table and fakes.
 */
export async function startTranscriptionEnvironment() {
  const env: InboundEnvironment = await startInboundEnvironment({
    env: {
      TRANSCRIPTION_JOB_PREFIX: JOB_PREFIX,
      BUSINESS_NUMBERS: JSON.stringify([
        {
          phoneNumberId: BUSINESS.phoneNumberId,
          inboundFlowId: INBOUND_FLOW_ID,
          transcription: TRANSCRIPTION,
        },
        { phoneNumberId: SECOND_BUSINESS.phoneNumberId, inboundFlowId: SECOND_FLOW_ID },
      ]),
    },
  });
  const jobs = new Map<string, StartTranscriptionJobCommandInput>();
  let lostAnswers = 0;
  const transcribe = mockClient(TranscribeClient);
  transcribe.on(StartTranscriptionJobCommand).callsFake(async (input: StartTranscriptionJobCommandInput) => {
    const name = input.TranscriptionJobName ?? '';
    if (jobs.has(name))
      throw new ConflictException({ message: 'The requested job name already exists.', $metadata: {} });
    jobs.set(name, input);
    if (lostAnswers > 0) {
      lostAnswers--;
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    }
    return { $metadata: {} };
  });
  return {
    env,
    jobs,
    loseNextAnswers(count: number) {
      lostAnswers = count;
    },
    finish(jobName: string, text: string, languageCode: string) {
      transcribe.on(GetTranscriptionJobCommand, { TranscriptionJobName: jobName }).resolves({
        TranscriptionJob: {
          TranscriptionJobName: jobName,
          TranscriptionJobStatus: 'COMPLETED',
          LanguageCode: languageCode as LanguageCode,
        },
        $metadata: {},
      });
      const bytes = new TextEncoder().encode(
        JSON.stringify({ results: { transcripts: [{ transcript: text }] } }),
      );
      env.media.objects.set(transcriptKey('transcripts/', jobName), { bytes, size: bytes.byteLength });
    },
    async transcriptHandler(): Promise<(event: unknown) => Promise<unknown>> {
      vi.resetModules();
      return (await import('../../functions/transcript/index.js')).handler;
    },
    async stop() {
      transcribe.restore();
      await env.stop();
    },
  };
}

/** The EventBridge event a finished job sends (test/fixtures/transcribe), for `jobName`. */
export function jobFinishedEvent(
  jobName: string,
  status: 'COMPLETED' | 'FAILED' = 'COMPLETED',
): EventBridgeEvent<string, unknown> {
  const event = JSON.parse(readFileSync('test/fixtures/transcribe/job-state-change-completed.json', 'utf8'));
  return { ...event, detail: { TranscriptionJobName: jobName, TranscriptionJobStatus: status } };
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { loadRelayConfigFile, parseRelayConfig } from '../../infra/config/relay-config.js';

const config = loadRelayConfigFile('config/relay.example.json');

function synthesize(relayConfig = config) {
  const { app, stack } = buildApp(relayConfig, new App({ outdir: mkdtempSync(join(tmpdir(), 'relay-vn-')) }));
  app.synth();
  return { template: Template.fromStack(stack), stackName: stack.stackName };
}

describe('voice-note transcription infrastructure', () => {
  let template: Template;
  let prefix: string;

  beforeAll(() => {
    const synthesized = synthesize();
    template = synthesized.template;
    prefix = `${synthesized.stackName}-vn-`;
  });

  it("routes only this stack's finished Transcribe jobs to the transcript function", () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.transcribe'],
        'detail-type': ['Transcribe Job State Change'],
        detail: {
          TranscriptionJobName: [{ prefix }],
          TranscriptionJobStatus: ['COMPLETED', 'FAILED'],
        },
      },
      Targets: [
        Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 } }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          TRANSCRIPTION_JOB_PREFIX: prefix,
          POWERTOOLS_SERVICE_NAME: 'whatsapp-transcript',
        }),
      },
      Architectures: ['arm64'],
    });
  });

  it('lets the inbound function start only jobs with the prefix and write only transcripts', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        (
          policy as {
            Properties: {
              PolicyDocument: { Statement: { Sid?: string; Action: unknown; Resource: unknown }[] };
            };
          }
        ).Properties.PolicyDocument.Statement,
    );
    const start = statements.find((statement) => statement.Sid === 'StartThisStacksTranscriptionJobs');
    expect(start?.Action).toBe('transcribe:StartTranscriptionJob');
    expect(JSON.stringify(start?.Resource)).toContain(`:transcription-job/${prefix}*`);
    const write = statements.find((statement) => statement.Sid === 'WriteTranscriptsUnderTheirPrefix');
    expect(write?.Action).toBe('s3:PutObject');
    expect(JSON.stringify(write?.Resource)).toContain('/transcripts/*');
    const read = statements.find((statement) => statement.Sid === 'ReadTranscripts');
    expect(read?.Action).toBe('s3:GetObject');
    expect(JSON.stringify(read?.Resource)).toContain('/transcripts/*');
    expect(statements.some((statement) => JSON.stringify(statement.Action).includes('transcribe:*'))).toBe(
      false,
    );
  });

  it('expires transcripts with the media: the bucket lifecycle rule covers every key', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            ExpirationInDays: 2,
            Status: 'Enabled',
            Prefix: Match.absent(),
            Filter: Match.absent(),
          }),
        ],
      },
    });
  });

  it('grants no Transcribe access when every number has transcription off', () => {
    const off = parseRelayConfig(
      {
        ...config,
        businessNumbers: config.businessNumbers.map(({ transcription: _off, ...number }) => number),
      },
      'test',
    );
    const statements = JSON.stringify(synthesize(off).template.findResources('AWS::IAM::Policy'));
    expect(statements).not.toContain('transcribe:StartTranscriptionJob');
  });

  it('refuses at synth a transcription setting with a single candidate language', () => {
    expect(() =>
      parseRelayConfig(
        {
          ...config,
          businessNumbers: [
            { ...config.businessNumbers[0], transcription: { enabled: true, languages: ['es-US'] } },
          ],
        },
        'test',
      ),
    ).toThrow(/at least two candidate languages/);
  });
});

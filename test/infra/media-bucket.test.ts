import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { loadRelayConfigFile, parseRelayConfig } from '../../infra/config/relay-config.js';

const config = loadRelayConfigFile('config/relay.example.json');

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: unknown;
  Resource: unknown;
  Condition?: unknown;
};

function synthesize(relayConfig = config) {
  const outdir = mkdtempSync(join(tmpdir(), 'relay-media-'));
  const { app, stack } = buildApp(relayConfig, new App({ outdir }));
  app.synth();
  return { outdir, template: Template.fromStack(stack) };
}

/** Renders `Fn::Join` ARNs as text (the partition as "aws"), so statements read like policies. */
function arnText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(arnText);
  const join = (value as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (!join) return value;
  return join[1]
    .map((part) =>
      typeof part === 'string'
        ? part
        : JSON.stringify(part) === '{"Ref":"AWS::Partition"}'
          ? 'aws'
          : JSON.stringify(part),
    )
    .join(join[0]);
}

function statements(template: Template, type: string): Statement[] {
  return Object.values(template.findResources(type)).flatMap(
    (resource) => (resource.Properties.PolicyDocument?.Statement ?? []) as Statement[],
  );
}

describe('media bucket and the inbound function’s media permissions', () => {
  let template: Template;
  let outdir: string;
  let bucketId: string;

  beforeAll(() => {
    ({ template, outdir } = synthesize());
    const buckets = Object.keys(template.findResources('AWS::S3::Bucket'));
    expect(buckets).toHaveLength(1);
    bucketId = buckets[0] as string;
  });

  it('is private, encrypted, and empties itself after two days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ ExpirationInDays: 2, Status: 'Enabled' })],
      },
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });

  it('refuses non-TLS access and lets EUM Social write only under inbound/, only for this account', () => {
    const policy = statements(template, 'AWS::S3::BucketPolicy');
    expect(
      policy.some(
        (statement) =>
          statement.Effect === 'Deny' &&
          JSON.stringify(statement.Condition).includes('"aws:SecureTransport":"false"'),
      ),
    ).toBe(true);
    const eum = policy.find((statement) => statement.Sid === 'AllowEumSocialMediaCopiesThisAccountOnly');
    expect(eum).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'social-messaging.amazonaws.com' },
      Action: 's3:PutObject',
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
    });
    expect(JSON.stringify(eum?.Resource)).toContain(`{"Fn::GetAtt":["${bucketId}","Arn"]},"/inbound/*"`);
  });

  it('lets the inbound function download media of the configured numbers only', () => {
    const download = statements(template, 'AWS::IAM::Policy').find((statement) =>
      JSON.stringify(statement.Action).includes('social-messaging:GetWhatsAppMessageMedia'),
    );
    expect(download).toMatchObject({ Effect: 'Allow', Action: 'social-messaging:GetWhatsAppMessageMedia' });
    expect(arnText(download?.Resource)).toBe(
      'arn:aws:social-messaging:us-east-1:111122223333:phone-number-id/0123456789abcdef0123456789abcdef',
    );
  });

  it('names one ARN per configured number', () => {
    const twoNumbers = parseRelayConfig(
      {
        ...config,
        businessNumbers: [
          ...config.businessNumbers,
          { phoneNumberId: 'phone-number-id-fedcba9876543210', inboundFlowId: 'flow-2' },
        ],
      },
      'test.json',
    );
    const download = statements(synthesize(twoNumbers).template, 'AWS::IAM::Policy').find(
      (statement) => statement.Action === 'social-messaging:GetWhatsAppMessageMedia',
    );
    expect(arnText(download?.Resource)).toEqual([
      'arn:aws:social-messaging:us-east-1:111122223333:phone-number-id/0123456789abcdef0123456789abcdef',
      'arn:aws:social-messaging:us-east-1:111122223333:phone-number-id/fedcba9876543210',
    ]);
  });

  it('gives the inbound function S3 access to the inbound/ prefix of the media bucket only', () => {
    // Voice-note transcripts have their own prefix and statements (test/infra/voice-transcription.test.ts).
    const s3Statements = statements(template, 'AWS::IAM::Policy').filter(
      (statement) =>
        JSON.stringify(statement.Action).includes('s3:') &&
        !JSON.stringify(statement.Resource).includes('/transcripts/*'),
    );
    expect(s3Statements).toHaveLength(2);
    const objects = s3Statements.find((statement) => JSON.stringify(statement.Action).includes('GetObject'));
    expect(objects?.Action).toEqual(['s3:PutObject', 's3:GetObject']);
    expect(JSON.stringify(objects?.Resource)).toContain(`{"Fn::GetAtt":["${bucketId}","Arn"]},"/inbound/*"`);
    const list = s3Statements.find((statement) => statement.Action === 's3:ListBucket');
    expect(list).toMatchObject({
      Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
      Condition: { StringLike: { 's3:prefix': ['inbound/*'] } },
    });
  });

  it('tells the inbound function the bucket name', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MEDIA_BUCKET_NAME: { Ref: bucketId } }) },
    });
  });

  it('ships the voice-note decoder in a lazy media chunk, never in what a cold start loads', () => {
    const assets = readdirSync(outdir)
      .filter((name) => name.startsWith('asset.'))
      .map((name) => join(outdir, name));
    const files = (name: string) =>
      assets
        .map((asset) => join(asset, name))
        .filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile());
    const entries = files('index.mjs');
    const chunks = files('media.mjs');
    expect(entries.length).toBeGreaterThan(1);
    // No function's cold-start bundle carries the decoder; the inbound function's media chunk does.
    for (const entry of entries) expect(readFileSync(entry, 'utf8')).not.toContain('OggOpusDecoder');
    expect(chunks).toHaveLength(1);
    const chunk = readFileSync(chunks[0] as string, 'utf8');
    expect(chunk).toContain('OggOpusDecoder');
    expect(chunk).toContain('"@wasm-audio-decoders/opus-ml"');
    expect(statSync(chunks[0] as string).size).toBeLessThan(1024 * 1024);
    // The entry that loads the chunk sits beside it in the same asset.
    const inboundEntry = join(chunks[0] as string, '..', 'index.mjs');
    expect(readFileSync(inboundEntry, 'utf8')).toContain('./media.mjs');
  });
});

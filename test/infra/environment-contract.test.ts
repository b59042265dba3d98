import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { loadRelayConfigFile, type RelayConfig } from '../../infra/config/relay-config.js';
import { loadCustomerDataConfig } from '../../shared/config/customer-data-config.js';
import { readEventDestinationProperties } from '../../shared/config/event-destination-config.js';
import { loadInboundConfig } from '../../shared/config/inbound-config.js';
import { loadOrderingConfig } from '../../shared/config/ordering-config.js';
import { loadOutboundConfig } from '../../shared/config/outbound-config.js';
import { loadSendTemplateConfig } from '../../shared/config/send-template-config.js';
import { loadTranscriptConfig } from '../../shared/config/transcript-config.js';
import { type TemplateJson, TemplatePolicies } from '../support/template-policies.js';

/**
 * Issue 9, part 5: one environment contract. Each function's real config loader runs against the
 * environment the synthesized template gives that function, so a variable renamed, dropped or
 * misspelt on either side (infra/ or shared/config) fails here instead of at the first cold start.
 */

type Env = Record<string, string | undefined>;
type Loader = (env: Env) => unknown;

/** Every function the stack deploys, by its POWERTOOLS_SERVICE_NAME, and the loader its index.ts calls. */
const LOADERS: Readonly<Record<string, Loader>> = {
  'whatsapp-inbound': loadInboundConfig,
  'whatsapp-inbound-ordering': loadOrderingConfig,
  'whatsapp-outbound': loadOutboundConfig,
  'whatsapp-transcript': loadTranscriptConfig,
  'whatsapp-outbound-ordering': loadOrderingConfig,
  'whatsapp-customer-data': loadCustomerDataConfig,
  'whatsapp-send-template': loadSendTemplateConfig,
};
/** The custom resource's provider: it reads its resource properties, not its environment. */
const PROPERTY_READERS = ['whatsapp-event-destination'];

/** Read by Node and by Powertools (logger, metrics), not by the config loaders. */
const RUNTIME_VARIABLES = new Set([
  'NODE_OPTIONS',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_LOG_LEVEL',
]);

const ENV = { account: '111122223333', region: 'us-east-1' };

interface ContractReport {
  /** The loader's error, when it refused the environment. */
  readonly loadError: string | undefined;
  /** Variables the template sets that the loader never reads: a name infra and config disagree on. */
  readonly unread: string[];
}

/** Runs a loader over an environment and records which variables it read. */
function checkContract(loader: Loader, env: Env): ContractReport {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get(target, name, receiver) {
      if (typeof name === 'string') read.add(name);
      return Reflect.get(target, name, receiver);
    },
  });
  let loadError: string | undefined;
  try {
    loader(recording);
  } catch (error) {
    loadError = (error as Error).message;
  }
  const unread = Object.keys(env).filter((name) => !RUNTIME_VARIABLES.has(name) && !read.has(name));
  return { loadError, unread };
}

function synthesize(config: RelayConfig) {
  // Bundling is skipped: it changes the code asset only, never an environment variable.
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'relay-env-contract-')),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  const { stack } = buildApp(config, app);
  app.synth();
  const template = Template.fromStack(stack).toJSON() as TemplateJson;
  const policies = new TemplatePolicies(template, ENV);
  const functions = new Map<string, Env>();
  for (const id of policies.idsOf('AWS::Lambda::Function')) {
    const variables = policies.resolveValue(
      (policies.resource(id).Properties?.Environment as { Variables?: unknown } | undefined)?.Variables ?? {},
    ) as Record<string, unknown>;
    const env = Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, String(value)]));
    functions.set(env.POWERTOOLS_SERVICE_NAME ?? id, env);
  }
  return { template, policies, functions };
}

const exampleConfig = loadRelayConfigFile('config/relay.example.json');
/** A number with no inbound flow of its own starts chats in the flow the stack deploys. */
const deployedFlowConfig: RelayConfig = {
  ...exampleConfig,
  businessNumbers: exampleConfig.businessNumbers.map(({ phoneNumberId }) => ({ phoneNumberId })),
};

describe.each([
  ['the example configuration', exampleConfig],
  ['numbers that use the deployed inbound flow', deployedFlowConfig],
])('environment contract, with %s', (_name, config) => {
  let synth: ReturnType<typeof synthesize>;

  beforeAll(() => {
    synth = synthesize(config);
  });

  it('knows how every deployed function reads its settings', () => {
    // Prepare
    const known = [...Object.keys(LOADERS), ...PROPERTY_READERS].sort();

    // Act
    const deployed = [...synth.functions.keys()].sort();

    // Assess
    expect(deployed).toEqual(known);
  });

  it.each(Object.keys(LOADERS))(
    'the %s function starts with the environment the template gives it',
    (service) => {
      // Prepare
      const env = synth.functions.get(service);
      const loader = LOADERS[service];
      if (!env || !loader) throw new Error(`no function ${service} in the template`);

      // Act
      const report = checkContract(loader, env);

      // Assess
      expect(report).toEqual({ loadError: undefined, unread: [] });
    },
  );

  it('gives the event destination function resource properties it can read', () => {
    // Prepare
    const [id] = synth.policies.idsOf('Custom::WabaEventDestination');
    if (!id) throw new Error('no event destination resource');
    const properties = synth.policies.resolveValue(synth.policies.resource(id).Properties) as Record<
      string,
      unknown
    >;

    // Act
    const read = readEventDestinationProperties(properties);

    // Assess
    expect(read.wabaId).toBe(config.whatsAppBusinessAccountId);
    expect(read.topicArn).toMatch(/^arn:aws:sns:us-east-1:111122223333:/);
  });
});

describe('environment contract check', () => {
  let functions: Map<string, Env>;

  beforeAll(() => {
    ({ functions } = synthesize(exampleConfig));
  });

  it('catches a required variable renamed on one side only', () => {
    // Prepare: infra sets MEDIA_BUCKET, the loader reads MEDIA_BUCKET_NAME.
    const { MEDIA_BUCKET_NAME, ...rest } = functions.get('whatsapp-inbound') ?? {};
    const renamed = { ...rest, MEDIA_BUCKET: MEDIA_BUCKET_NAME };

    // Act
    const report = checkContract(loadInboundConfig, renamed);

    // Assess
    expect(report.loadError).toMatch(/MEDIA_BUCKET_NAME/);
    expect(report.unread).toEqual(['MEDIA_BUCKET']);
  });

  it('catches a setting with a default renamed on one side only (the function would silently use the default)', () => {
    // Prepare: infra sets SEND_LEASE_SECS, the loader reads SEND_LEASE_SECONDS and falls back to 60.
    const { SEND_LEASE_SECONDS, ...rest } = functions.get('whatsapp-outbound') ?? {};
    const renamed = { ...rest, SEND_LEASE_SECS: SEND_LEASE_SECONDS };

    // Act
    const report = checkContract(loadOutboundConfig, renamed);

    // Assess
    expect(report.loadError).toBeUndefined();
    expect(report.unread).toEqual(['SEND_LEASE_SECS']);
  });
});

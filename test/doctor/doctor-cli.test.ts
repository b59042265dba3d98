import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DoctorUsageError, parseDoctorArgs } from '../../doctor/cli.js';
import { type DoctorIo, doctorMain } from '../../doctor/main.js';
import { RelayConfigError } from '../../infra/config/relay-config.js';
import { installFakeAws } from '../support/fake-aws-doctor.js';
import {
  CONFIGURED_FLOW_ID,
  GUIDE_VIEW_ARN,
  healthyDeployment,
  INSTANCE_ARN,
  PHONE_NUMBER_ID,
} from '../support/fake-deployment.js';

let fake: ReturnType<typeof installFakeAws> | undefined;
afterEach(() => {
  fake?.restore();
  fake = undefined;
});

/** A config file as the builder wrote it, in a temporary directory. */
function configFile(contents: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'doctor-cli-')), 'relay.json');
  writeFileSync(path, typeof contents === 'string' ? contents : JSON.stringify(contents));
  return path;
}

const DEPLOYED = {
  connectInstanceArn: INSTANCE_ARN,
  businessNumbers: [{ phoneNumberId: PHONE_NUMBER_ID, inboundFlowId: CONFIGURED_FLOW_ID }],
  whatsAppBusinessAccountId: 'waba-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  eumSocialRegion: 'us-east-1',
  defaultQueueArn: `${INSTANCE_ARN}/queue/b1b2b3b4-0000-1111-2222-333344445555`,
  alarmEmail: 'on-call@example.com',
  guideViewArn: GUIDE_VIEW_ARN,
};

function terminal(state = healthyDeployment()) {
  fake = installFakeAws(state);
  const output: string[] = [];
  const regions: string[] = [];
  const clients = fake.clients;
  const io: DoctorIo = {
    write: (text) => output.push(text),
    clientsFor: (target) => {
      regions.push(target.region);
      return clients;
    },
    builder: { confirm: async () => false, tell: () => undefined },
    clock: { now: () => 0, sleep: async () => undefined },
  };
  return { io, output, regions };
}

describe('npm run doctor from the command line', () => {
  it('exits 0 when every check passes, reading the Region from the configured Connect instance', async () => {
    // Prepare
    const { io, output, regions } = terminal();

    // Act
    const code = await doctorMain(['--config', configFile(DEPLOYED)], io);

    // Assess
    expect(code).toBe(0);
    expect(regions).toEqual(['us-east-1']);
    expect(output.join('')).toContain('All checks passed.');
  });

  it('exits 1 and prints the fix when a check fails', async () => {
    // Prepare
    const state = healthyDeployment();
    state.attachmentsBucket = undefined;
    const { io, output } = terminal(state);

    // Act
    const code = await doctorMain(['--config', configFile(DEPLOYED)], io);

    // Assess
    expect(code).toBe(1);
    expect(output.join('')).toContain('❌ Attachments are enabled on the instance');
  });

  it('refuses a configuration the stack would refuse, with the same message', async () => {
    // Prepare
    const { io } = terminal();
    const file = configFile({ ...DEPLOYED, chatDurationMinutes: 5 });

    // Act
    const run = doctorMain(['--config', file], io);

    // Assess
    await expect(run).rejects.toThrow(RelayConfigError);
    await expect(run).rejects.toThrow(/chatDurationMinutes/);
  });

  it('runs the live test after the checklist, and fails it when the builder says no', async () => {
    // Prepare
    const { io, output } = terminal();

    // Act
    const code = await doctorMain(['--config', configFile(DEPLOYED), '--live-test', '+447700900123'], io);

    // Assess
    expect(code).toBe(1);
    expect(output).toEqual([
      expect.stringContaining('All checks passed.'),
      expect.stringContaining('❌ The live test ran'),
    ]);
  });
});

describe('the doctor’s arguments', () => {
  it('reads the live test’s phone, template and consent', () => {
    // Act
    const command = parseDoctorArgs([
      '--config',
      'c.json',
      '--live-test',
      '+447700900123',
      '--template',
      'welcome:en_GB',
      '--yes',
    ]);

    // Assess
    expect(command).toEqual({
      kind: 'check',
      configFile: 'c.json',
      liveTest: expect.objectContaining({
        testNumber: '+447700900123',
        template: { name: 'welcome', language: 'en_GB' },
        yes: true,
      }),
    });
  });

  it.each([
    [['--yes'], '--template and --yes belong to --live-test'],
    [['--live-test', '+447700900123', '--template', 'welcome'], '--template must be <name>:<language>'],
    [['--confg', 'c.json'], "Unknown option '--confg'"],
  ])('refuses %j with a usage message', (argv, message) => {
    // Act
    const parse = () => parseDoctorArgs(argv);

    // Assess
    expect(parse).toThrow(DoctorUsageError);
    expect(parse).toThrow(message);
  });
});

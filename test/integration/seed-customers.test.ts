import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCustomersFile } from '../../scripts/seed-customers.js';
import { DynamoDbCustomerDirectory } from '../../shared/adapters/dynamodb-customer-directory.js';
import { type DynamoDbEmulator, startDynamoDbEmulator } from '../support/dynamodb-emulator.js';

const run = promisify(execFile);

describe('npm run seed:customers', () => {
  let emulator: DynamoDbEmulator;

  beforeEach(async () => {
    emulator = await startDynamoDbEmulator();
    await emulator.createTable('seeded-customers');
  });

  afterEach(async () => {
    await emulator.stop();
  });

  it('loads the sample customers into the table named by CUSTOMERS_TABLE_NAME at AWS_ENDPOINT_URL_DYNAMODB', async () => {
    const { stdout } = await run('npx', ['tsx', 'scripts/seed-customers.ts'], {
      env: {
        ...process.env,
        CUSTOMERS_TABLE_NAME: 'seeded-customers',
        AWS_ENDPOINT_URL_DYNAMODB: emulator.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      },
    });

    expect(stdout).toContain('Loaded 3 customers from scripts/customers.sample.json into seeded-customers');
    const directory = new DynamoDbCustomerDirectory(emulator.client, 'seeded-customers');
    expect(await directory.findById('C-1003')).toEqual({
      customerId: 'C-1003',
      name: 'Kenji Sato',
      attributes: {},
    });
    expect(await directory.findByPhoneNumber('+447700900123')).toMatchObject({
      customerId: 'C-1002',
      name: 'Sam Taylor',
    });
  });

  it('names every bad entry in a customers file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'customers-')), 'bad.json');
    writeFileSync(
      file,
      JSON.stringify([{ customerId: 'C-1', name: 'A', phoneNumber: '07700 900123' }, { name: 'B' }]),
    );

    expect(() => loadCustomersFile(file)).toThrowError(/0\.phoneNumber: must be a plausible E\.164 number/);
    expect(() => loadCustomersFile(file)).toThrowError(/1\.customerId/);
  });
});

/**
 * `npm run docs:doctor`: writes the doctor's output for a healthy and for a broken deployment into
 * the README (between the `doctor:healthy` and `doctor:broken` markers), run against the same SDK
 * fakes as the tests (test/support/fake-deployment.ts). test/doctor/doctor-readme.test.ts fails
 * when the README is stale, so nobody maintains these examples by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { formatChecklist } from '../doctor/checklist.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { targetOf } from '../doctor/target.js';
import { installFakeAws } from '../test/support/fake-aws-doctor.js';
import {
  brokenDeployment,
  deployedConfig,
  type FakeDeployment,
  healthyDeployment,
} from '../test/support/fake-deployment.js';

const COMMAND = '$ npm run doctor -- --config config/relay.json';

async function doctorOutput(state: FakeDeployment): Promise<string> {
  const fake = installFakeAws(state);
  try {
    return formatChecklist(await runDoctor(fake.clients, targetOf(deployedConfig(), 'config/relay.json')));
  } finally {
    fake.restore();
  }
}

function replaceBetween(text: string, name: string, body: string): string {
  const start = `<!-- doctor:${name}:start -->`;
  const end = `<!-- doctor:${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} markers`);
  return `${text.slice(0, from + start.length)}\n\n\`\`\`text\n${COMMAND}\n${body}\`\`\`\n\n${text.slice(to)}`;
}

/** The README with both doctor examples regenerated. */
export async function withDoctorExamples(readme: string): Promise<string> {
  const healthy = await doctorOutput(healthyDeployment());
  const broken = await doctorOutput(brokenDeployment());
  return replaceBetween(replaceBetween(readme, 'healthy', healthy), 'broken', broken);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const readme = readFileSync('README.md', 'utf8');
  writeFileSync('README.md', await withDoctorExamples(readme));
}

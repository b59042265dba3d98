import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The sandbox in a browser: `npm run local`'s server (the real functions behind loopback fakes)
 * driven through its accessible names, as a builder would use it.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let sandbox: ChildProcess;
let browser: BrowserContext;
let page: Page;
let profile: string;

async function startSandbox(): Promise<string> {
  sandbox = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], {
    env: { ...process.env, SANDBOX_PORT: '0', NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    sandbox.once('exit', (code) => reject(new Error(`The sandbox exited (${code}): ${output}`)));
    sandbox.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0];
      if (url) resolve(url);
    });
  });
}

const phone = () => page.getByRole('list', { name: 'Customer phone' });
const agentChat = () => page.getByRole('list', { name: 'Agent chat' });
const guide = () => page.getByRole('region', { name: 'Template guide' });
const messageIn = (list: Locator, text: string | RegExp) =>
  list.getByRole('listitem').filter({ hasText: text });

async function customerSays(text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

async function agentReplies(text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Reply' }).fill(text);
  await page.getByRole('button', { name: 'Send reply' }).click();
}

describe('The browser sandbox, with a builder playing the customer and the agent', () => {
  beforeAll(async () => {
    const url = await startSandbox();
    profile = mkdtempSync(join(tmpdir(), 'sandbox-chromium-'));
    // A fresh profile directory each run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1400, height: 860 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(url);
  });

  afterAll(async () => {
    await browser?.close();
    sandbox?.kill('SIGTERM');
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('shows the customer’s WhatsApp text in the agent’s chat', async () => {
    // Prepare
    const text = 'Hi! My parcel 4471 has not arrived.';

    // Act
    await customerSays(text);

    // Assess
    await expect.poll(() => messageIn(agentChat(), text).count()).toBe(1);
  });

  it('shows the agent’s Markdown reply formatted on the phone, and the customer’s ticks turn blue once the agent has read it', async () => {
    // Prepare
    const reply = '**Sorry** about that, I am checking now.';

    // Act
    await agentReplies(reply);

    // Assess
    const formatted = messageIn(phone(), 'about that').locator('strong', { hasText: 'Sorry' });
    await expect.poll(() => formatted.count()).toBe(1);
    const ticks = messageIn(phone(), 'parcel 4471').getByLabel('Read');
    await expect.poll(() => ticks.count()).toBe(1);
  });

  it('gives the agent a playable WAV for a voice note, with its transcript pending', async () => {
    // Act
    await page.getByRole('button', { name: 'Voice note' }).click();

    // Assess
    const voiceNote = agentChat()
      .getByRole('listitem')
      .filter({ has: page.locator('audio') });
    await expect.poll(() => voiceNote.count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => voiceNote.locator('audio').getAttribute('aria-label')).toMatch(/\.wav$/);
    await expect.poll(() => voiceNote.textContent()).toContain('Transcript pending');
  });

  it('tells the agent the 24-hour window has closed when they write 25 hours later', async () => {
    // Prepare
    await page.getByRole('button', { name: 'Advance 25 hours' }).click();

    // Act
    await agentReplies('Are you still there?');

    // Assess
    await expect.poll(() => messageIn(agentChat(), /24-hour window has closed/).count()).toBe(1);
  });

  it('keeps the agent’s form and says why when the guide refuses a template with an empty value', async () => {
    // Prepare
    await page.getByRole('button', { name: 'Open template guide' }).click();
    await guide()
      .getByRole('button', { name: /appointment_reminder/ })
      .click();
    await guide()
      .getByRole('button', { name: /^Use appointment_reminder/ })
      .click();
    const number = guide().getByRole('textbox', { name: /WhatsApp number/ });
    await expect.poll(() => number.count()).toBe(1);
    const instruction = await guide().getByRole('status').textContent();
    const typedNumber = '+44 7700 900123';
    await number.fill(typedNumber);
    await guide()
      .getByRole('textbox', { name: /Appointment date/ })
      .fill('');

    // Act
    await guide().getByRole('button', { name: 'Send', exact: true }).click();

    // Assess: the send step's answer re-shows the form, with its reason and the agent's number.
    await expect.poll(() => guide().getByRole('status').textContent()).not.toBe(instruction);
    await expect.poll(() => guide().getByRole('status').textContent()).toMatch(/empty/i);
    await expect.poll(() => number.inputValue()).toBe(typedNumber);
    expect(await messageIn(phone(), 'Template appointment_reminder').count()).toBe(0);
  });

  it('sends a template from the agent guide with the value the agent typed, and the customer gets it', async () => {
    // Prepare: choose the template's card, then its action; the Form view shows the preview and the marketing state.
    const typed = '4 June, 09:15';
    await page.getByRole('button', { name: 'Open template guide' }).click();
    await guide()
      .getByRole('button', { name: /appointment_reminder/ })
      .click();
    await guide()
      .getByRole('button', { name: /^Use appointment_reminder/ })
      .click();
    const date = guide().getByRole('textbox', { name: /Appointment date/ });
    await expect.poll(() => date.count()).toBe(1);
    const preview = guide().getByRole('group', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('Your appointment is on');
    await expect.poll(() => guide().textContent()).toContain('Marketing messages');

    // Act
    await date.fill(typed);
    // The README's picture: the guide's Form view, filled in (docs/sandbox.md).
    mkdirSync('docs', { recursive: true });
    await page.evaluate("document.getElementById('guide').scrollTop = 0");
    await page.screenshot({ path: 'docs/sandbox.png' });
    await guide().getByRole('button', { name: 'Send', exact: true }).click();

    // Assess
    const template = messageIn(phone(), 'Template appointment_reminder');
    await expect.poll(() => template.count()).toBe(1);
    await expect.poll(() => template.textContent()).toContain(typed);
    await expect.poll(() => guide().getByRole('heading', { name: /sent/ }).count()).toBe(1);
  });

  it('starts the guide over from the sent confirmation, back at the template cards', async () => {
    // Act
    await guide().getByRole('button', { name: 'Start over', exact: true }).click();

    // Assess
    await expect.poll(() => guide().getByRole('list', { name: 'Cards' }).count()).toBe(1);
    await expect
      .poll(() =>
        guide()
          .getByRole('button', { name: /appointment_reminder/ })
          .count(),
      )
      .toBe(1);
  });

  it('relays the bare title of the quick reply the customer taps', async () => {
    // Prepare: the customer's answer to the template opens a new 24-hour window.
    await customerSays('Yes, that works');
    await expect.poll(() => messageIn(agentChat(), 'Yes, that works').count()).toBe(1);
    await page.getByRole('button', { name: 'Send quick reply' }).click();
    const option = phone().getByRole('button', { name: 'Track my order' });
    await expect.poll(() => option.count()).toBe(1);

    // Act
    await option.click();

    // Assess
    const bareTitle = agentChat()
      .getByRole('listitem')
      .filter({ hasText: /^Track my order$/ });
    await expect.poll(() => bareTitle.count()).toBe(1);
  });
});

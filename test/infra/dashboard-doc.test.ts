import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_DOC, dashboardMarkdown, synthesizedTemplate } from '../../scripts/render-dashboard.js';

describe('docs/dashboard.md, the dashboard as a table of widgets', () => {
  it('matches the dashboard the stack synthesizes (run npm run docs:dashboard after changing it)', () => {
    // Prepare
    const committed = readFileSync(DASHBOARD_DOC, 'utf8');
    // Act
    const rendered = dashboardMarkdown(synthesizedTemplate());
    // Assess: Biome pads the table's columns, so cells are compared without the padding.
    const cells = (markdown: string) =>
      markdown
        .split('\n')
        .map((line) =>
          line
            .replace(/\s*\|\s*/g, '|')
            .replace(/-{3,}/g, '-')
            .trim(),
        )
        .filter((line) => line.length > 0);
    expect(cells(committed)).toEqual(cells(rendered));
  }, 120_000);

  it('lists the headline first: latency per direction, then delivery to WhatsApp', () => {
    // Act
    const rendered = dashboardMarkdown(synthesizedTemplate());
    // Assess
    const titles = rendered.split('\n').filter((line) => line.startsWith('| ') && /^\| \d/.test(line));
    expect(titles[1]).toContain('Inbound: latency p50 / p95 (ms) and messages relayed, last 5 minutes');
    expect(titles.findIndex((row) => row.includes('Outbound: latency p50 / p95'))).toBeLessThan(
      titles.findIndex((row) => row.includes('## Inbound')),
    );
  }, 120_000);
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withDoctorExamples } from '../../scripts/docs-doctor.js';

describe("the README's doctor examples", () => {
  it('are what the doctor prints today for the healthy and the broken fake deployment (npm run docs:doctor)', async () => {
    // Prepare
    const readme = readFileSync('README.md', 'utf8');

    // Act
    const regenerated = await withDoctorExamples(readme);

    // Assess
    expect(readme).toContain('<!-- doctor:broken:start -->');
    expect(regenerated).toBe(readme);
  });
});

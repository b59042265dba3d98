import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../shared/config/environment-names.js';

const readme = readFileSync('README.md', 'utf8');

/** Env var names a function's config schema reads: its `[ENV.<key>]:` entries in shared/config/*-config.ts. */
function envVarsReadBy(configFile: string): string[] {
  const source = readFileSync(configFile, 'utf8');
  return [...source.matchAll(/^\s+\[ENV\.(\w+)\]:/gm)].map((match) => {
    const name = ENV[match[1] as keyof typeof ENV];
    if (!name)
      throw new Error(`${configFile} reads ENV.${match[1]}, which environment-names.ts does not name`);
    return name;
  });
}

describe('README contract', () => {
  const configFiles = readdirSync('shared/config')
    .filter((file) => file.endsWith('-config.ts') && file !== 'load-config.ts')
    .map((file) => join('shared/config', file));

  it('finds a config schema for every function', () => {
    const functions = readdirSync('functions');
    expect(functions.length).toBeGreaterThan(0);
    for (const name of functions) {
      const entry = readFileSync(join('functions', name, 'index.ts'), 'utf8');
      expect(entry, `functions/${name}/index.ts should load its config from shared/config`).toMatch(
        /from '\.\.\/\.\.\/shared\/config\/[a-z-]+-config\.js'/,
      );
    }
  });

  it('documents every environment variable a function reads', () => {
    const variables = configFiles.flatMap(envVarsReadBy);
    expect(variables.length).toBeGreaterThan(5);
    const missing = variables.filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});

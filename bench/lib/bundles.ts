import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { RELAY_BUNDLING } from '../../infra/bundling.js';

const OUTDIR = '/tmp/relay-bench-bundles';

/** Bundles one function exactly as CDK deploys it; returns the bundle's path. */
export function buildBundle(functionName: string): Promise<string> {
  return buildEntry(join('functions', functionName, 'index.ts'), functionName);
}

/** Bundles any entry (a baseline, say) with the same options. */
export async function buildEntry(entry: string, name: string): Promise<string> {
  const outfile = join(OUTDIR, name, 'index.mjs');
  mkdirSync(join(OUTDIR, name), { recursive: true });
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    outfile,
    format: RELAY_BUNDLING.format,
    platform: RELAY_BUNDLING.platform,
    target: RELAY_BUNDLING.target,
    minify: RELAY_BUNDLING.minify,
    sourcemap: RELAY_BUNDLING.sourcemap,
    sourcesContent: RELAY_BUNDLING.sourcesContent,
    mainFields: [...RELAY_BUNDLING.mainFields],
    external: [...RELAY_BUNDLING.external],
    banner: { js: RELAY_BUNDLING.banner },
    logLevel: 'silent',
  });
  return outfile;
}

export const BUNDLE_DIR = OUTDIR;

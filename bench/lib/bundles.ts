import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { LAZY_CHUNKS, RELAY_BUNDLING } from '../../infra/bundling.js';

const OUTDIR = '/tmp/relay-bench-bundles';

/** Bundles one function exactly as CDK deploys it (with its lazy chunks); returns index.mjs's path. */
export async function buildBundle(functionName: string): Promise<string> {
  const chunks = LAZY_CHUNKS[functionName] ?? [];
  const outfile = await buildEntry(
    join('functions', functionName, 'index.ts'),
    functionName,
    chunks.map((chunk) => `./${chunk}.mjs`),
  );
  for (const chunk of chunks) {
    await buildEntry(join('functions', functionName, `${chunk}.mts`), functionName, [], `${chunk}.mjs`);
  }
  return outfile;
}

/** The sizes of a function's files: what every cold start loads, and what loads later. */
export function bundleSizes(functionName: string): { coldStartBytes: number; lazyBytes: number } {
  const lazyBytes = (LAZY_CHUNKS[functionName] ?? []).reduce(
    (sum, chunk) => sum + statSync(join(OUTDIR, functionName, `${chunk}.mjs`)).size,
    0,
  );
  return { coldStartBytes: statSync(join(OUTDIR, functionName, 'index.mjs')).size, lazyBytes };
}

/** Bundles any entry (a baseline, say) with the same options. */
export async function buildEntry(
  entry: string,
  name: string,
  extraExternal: readonly string[] = [],
  fileName = 'index.mjs',
): Promise<string> {
  const outfile = join(OUTDIR, name, fileName);
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
    external: [...RELAY_BUNDLING.external, ...extraExternal],
    banner: { js: RELAY_BUNDLING.banner },
    loader: { ...RELAY_BUNDLING.loader },
    logLevel: 'silent',
  });
  return outfile;
}

export const BUNDLE_DIR = OUTDIR;

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { RELAY_BUNDLING } from '../../infra/bundling.js';
import { functionEnvironment } from '../lib/function-env.js';
import { median, round } from '../lib/stats.js';

const RUNS = 11;

export interface ColdStartRow {
  function: string;
  bundleKB: number;
  initMedianMs: number;
  baselineMedianMs: number;
  initOverBaseline: number;
}

/**
 * Bundles every function exactly as CDK does, and times module initialisation in fresh `node`
 * processes. The baseline, measured in the same run, is the import of an empty module.
 */
export async function measureColdStart(): Promise<ColdStartRow[]> {
  const outdir = '/tmp/relay-bench-bundles';
  mkdirSync(outdir, { recursive: true });
  const emptyModule = join(outdir, 'empty.mjs');
  writeFileSync(emptyModule, 'export {};\n');
  const env = { ...process.env, ...functionEnvironment('bench-table'), NODE_OPTIONS: '' };
  const time = (file: string) =>
    (
      JSON.parse(
        execFileSync('node', ['bench/import-timer.mjs', pathToFileURL(file).href], { env, encoding: 'utf8' }),
      ) as {
        initMs: number;
      }
    ).initMs;

  const rows: ColdStartRow[] = [];
  for (const name of readdirSync('functions').sort()) {
    const outfile = join(outdir, name, 'index.mjs');
    await esbuild.build({
      entryPoints: [join('functions', name, 'index.ts')],
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
    const init: number[] = [];
    const baseline: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      baseline.push(time(emptyModule));
      init.push(time(outfile));
    }
    const initMedian = median(init);
    const baselineMedian = median(baseline);
    rows.push({
      function: name,
      bundleKB: round(statSync(outfile).size / 1024, 0),
      initMedianMs: round(initMedian, 1),
      baselineMedianMs: round(baselineMedian, 2),
      initOverBaseline: round(initMedian / baselineMedian, 0),
    });
  }
  return rows;
}

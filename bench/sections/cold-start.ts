import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE_DIR, buildBundle, bundleSizes } from '../lib/bundles.js';
import { functionEnvironment } from '../lib/function-env.js';
import { median, round } from '../lib/stats.js';

const RUNS = 21;

export interface ColdStartRow {
  function: string;
  coldStartBundleKB: number;
  lazyChunksKB: number;
  initMedianMs: number;
  baselineMedianMs: number;
  initOverBaseline: number;
  goal: string;
}

/**
 * Bundles every function exactly as CDK does, and times module initialisation (import, config,
 * clients, init-time priming) in fresh `node` processes. The baseline, measured in the same run,
 * is the import of an empty module.
 */
export async function measureColdStart(): Promise<ColdStartRow[]> {
  const emptyModule = join(BUNDLE_DIR, 'empty.mjs');
  const env = {
    ...process.env,
    ...functionEnvironment('bench-table'),
    NODE_OPTIONS: '',
    NODE_NO_WARNINGS: '1',
  };
  const rows: ColdStartRow[] = [];
  for (const name of readdirSync('functions').sort()) {
    const bundle = await buildBundle(name);
    writeFileSync(emptyModule, 'export {};\n');
    const time = (file: string) =>
      (
        JSON.parse(
          execFileSync('node', ['bench/import-timer.mjs', pathToFileURL(file).href], {
            env,
            encoding: 'utf8',
          }),
        ) as { initMs: number }
      ).initMs;
    const init: number[] = [];
    const baseline: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      baseline.push(time(emptyModule));
      init.push(time(bundle));
    }
    const sizes = bundleSizes(name);
    const initMedian = median(init);
    const baselineMedian = median(baseline);
    rows.push({
      function: name,
      coldStartBundleKB: round(sizes.coldStartBytes / 1024, 0),
      lazyChunksKB: round(sizes.lazyBytes / 1024, 0),
      initMedianMs: round(initMedian, 1),
      baselineMedianMs: round(baselineMedian, 2),
      initOverBaseline: round(initMedian / baselineMedian, 0),
      goal: '≤ 1,024 KB, ≤ 100 ms',
    });
  }
  return rows;
}

/**
 * Checks the layer rules in .dependency-cruiser.cjs over the production code (`npm run lint:layers`).
 *
 * It calls dependency-cruiser's API rather than its `depcruise` command, because the command refuses
 * to start on Node 20 (it checks for ^22), and this project supports Node >= 20.19. The API is the
 * same cruise the command runs. Exits 1 on any violation, with one line per crossing.
 */
import { cruise, format } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

/** The production code: tests, bench and scripts are free, and are left out of the graph. */
const ROOTS = ['shared', 'functions', 'infra', 'doctor'];

const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
const result = await cruise(ROOTS, options, {}, { tsConfig: extractTSConfig('tsconfig.json') });
if (typeof result.output === 'string')
  throw new Error('dependency-cruiser returned text, not a cruise result');
const report = await format(result.output, { outputType: 'err' });
process.stdout.write(String(report.output));
process.exitCode = report.exitCode === 0 ? 0 : 1;

// `prelocal` and `pretest`: installs exactly what package-lock.json locks (npm ci) when node_modules
// does not already hold it, and does nothing otherwise, so a fresh clone needs no other command and
// a second run starts at once. Optional packages (other platforms' binaries) are not required.
// `--check` only reports. Plain Node: it runs before any dependency is installed.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const differing = [];
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  if (!path.startsWith('node_modules/') || entry.optional || entry.devOptional || entry.link) continue;
  const manifest = `${path}/package.json`;
  const installed = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : undefined;
  if (installed !== entry.version) differing.push(`${path.slice('node_modules/'.length)}@${entry.version}`);
}
if (differing.length === 0) process.exit(0);
console.log(
  `node_modules differs from package-lock.json (${differing.length}, e.g. ${differing[0]}): npm ci`,
);
if (process.argv.includes('--check')) process.exit(1);
execSync('npm ci --no-audit --no-fund --loglevel=error', { stdio: 'inherit' });

// Imports one bundle in a fresh process and prints how long module initialisation took.
const started = performance.now();
await import(process.argv[2]);
process.stdout.write(JSON.stringify({ initMs: performance.now() - started }));

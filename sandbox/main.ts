/**
 * `npm run local`: the browser sandbox. A builder plays the WhatsApp customer and the Connect
 * agent over the relay's real functions, with AWS stood in for on loopback (see sandbox/world.ts).
 * Prints its URL and opens nothing. SANDBOX_PORT chooses the port (default 4321).
 */
import { startSandboxServer } from './server.js';
import { startSandboxWorld } from './world.js';

const port = Number(process.env.SANDBOX_PORT ?? 4321);
const world = await startSandboxWorld();
const { url, server } = await startSandboxServer(world, port);
console.log(`WhatsApp ⇄ Amazon Connect sandbox: ${url}`);
console.log('No AWS account, no network beyond 127.0.0.1. Press Ctrl+C to stop.');

const stop = async () => {
  server.close();
  await world.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

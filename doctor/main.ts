import { loadRelayConfigFile } from '../infra/config/relay-config.js';
import { allPassed, formatChecklist } from './checklist.js';
import { parseDoctorArgs, USAGE } from './cli.js';
import type { DoctorClients } from './clients.js';
import type { Builder, Clock } from './live-test/ports.js';
import { runLiveTest } from './live-test/run-live-test.js';
import { runDoctor } from './run-doctor.js';
import { type DoctorTarget, targetOf } from './target.js';

/** Where the doctor writes, and how it builds its clients once it knows the Region. */
export interface DoctorIo {
  readonly write: (text: string) => void;
  readonly clientsFor: (target: DoctorTarget) => DoctorClients;
  readonly builder: Builder;
  readonly clock: Clock;
}

/**
 * `npm run doctor`: parse the arguments, load the configuration with the stack's own validation
 * (infra/config/relay-config.ts), run the checklist and, when asked, the live test; returns the
 * exit code (0 when every line passed).
 */
export async function doctorMain(argv: readonly string[], io: DoctorIo): Promise<number> {
  const command = parseDoctorArgs(argv);
  if (command.kind === 'help') {
    io.write(`${USAGE}\n`);
    return 0;
  }
  const target = targetOf(loadRelayConfigFile(command.configFile), command.configFile);
  const clients = io.clientsFor(target);
  const groups = await runDoctor(clients, target);
  if (command.liveTest) {
    io.write(formatChecklist(groups));
    groups.push(
      await runLiveTest({ clients, builder: io.builder, clock: io.clock }, target, command.liveTest),
    );
  }
  io.write(formatChecklist(command.liveTest ? groups.slice(-1) : groups));
  return allPassed(groups) ? 0 : 1;
}

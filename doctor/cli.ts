import { parseArgs } from 'node:util';
import { LIVE_TEST_DEFAULTS, type LiveTestOptions } from './live-test/ports.js';

/** What `npm run doctor -- …` asked for. */
export type DoctorCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'check'; readonly configFile: string; readonly liveTest?: LiveTestOptions };

/** Thrown for a command line the doctor cannot run; the message says how to call it. */
export class DoctorUsageError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
    this.name = 'DoctorUsageError';
  }
}

/** The help text. */
export const USAGE = `Usage: npm run doctor -- --config config/relay.json [--live-test <test phone, E.164>] [--template <name>:<language>] [--yes]

Checks a deployed relay, read-only, and prints a checklist; each ❌ line says how to fix it.
  --config      the relay configuration the stack was deployed with (default config/relay.json)
  --live-test   also run an end-to-end test with this WhatsApp phone: it sends a template, you reply "ok"
  --template    the approved template without parameters the live test sends (default hello_world:en_US)
  --yes         consent to the live test without being asked`;

const DEFAULT_TEMPLATE = 'hello_world:en_US';

/** Parses the doctor's arguments (after `--`). */
export function parseDoctorArgs(argv: readonly string[]): DoctorCommand {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new DoctorUsageError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };
  const configFile = values.config ?? 'config/relay.json';
  if (values['live-test'] === undefined) {
    if (values.template !== undefined || values.yes) {
      throw new DoctorUsageError('--template and --yes belong to --live-test <test phone>.');
    }
    return { kind: 'check', configFile };
  }
  const [name, language, ...rest] = (values.template ?? DEFAULT_TEMPLATE).split(':');
  if (!name || !language || rest.length > 0) {
    throw new DoctorUsageError(`--template must be <name>:<language>, e.g. ${DEFAULT_TEMPLATE}.`);
  }
  return {
    kind: 'check',
    configFile,
    liveTest: {
      testNumber: values['live-test'],
      template: { name, language },
      yes: values.yes ?? false,
      ...LIVE_TEST_DEFAULTS,
    },
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      config: { type: 'string' },
      'live-test': { type: 'string' },
      template: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
}

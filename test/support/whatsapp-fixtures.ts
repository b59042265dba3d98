import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the Meta message objects live: `<type>.json`, and `<type>--<variant>.json` for variants. */
export const MESSAGE_FIXTURE_DIR = 'test/fixtures/whatsapp';

export interface MessageFixture {
  /** The file name without `.json`, e.g. `interactive--list_reply`. */
  readonly name: string;
  /** The WhatsApp `type` the fixture is for: its name up to `--`. */
  readonly type: string;
  /** The `value.messages[]` element as Meta sends it. */
  readonly message: Record<string, unknown>;
}

/** Every message fixture, in file-name order. */
export function loadMessageFixtures(): readonly MessageFixture[] {
  return readdirSync(MESSAGE_FIXTURE_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.json'.length);
      return {
        name,
        type: name.split('--')[0] ?? name,
        message: JSON.parse(readFileSync(join(MESSAGE_FIXTURE_DIR, file), 'utf8')) as Record<string, unknown>,
      };
    });
}

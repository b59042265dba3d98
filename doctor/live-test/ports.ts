/** The person running the doctor: asked before anything is sent, and told what to do on the phone. */
export interface Builder {
  /** Asks a yes/no question; anything but yes is no. */
  confirm(question: string): Promise<boolean>;
  /** Says what the builder must do now (reply on the phone) or what the doctor is waiting for. */
  tell(message: string): void;
}

/** Time, injected so that bounded waits are tested without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The live test's settings (`--live-test`, `--template`, `--yes`). */
export interface LiveTestOptions {
  /** The test phone, E.164 (as typed; it is normalised). */
  readonly testNumber: string;
  /** An approved template without parameters, e.g. Meta's sample `hello_world` in `en_US`. */
  readonly template: { readonly name: string; readonly language: string };
  /** Consent given on the command line (`--yes`): nothing is asked. */
  readonly yes: boolean;
  /** How long to wait for the builder's reply to appear as a chat in Connect. */
  readonly chatWaitMs: number;
  /** How long to wait for WhatsApp's delivery receipt of the agent-side message. */
  readonly deliveryWaitMs: number;
  /** How often Connect is asked while waiting. */
  readonly pollMs: number;
}

/** Defaults: five minutes for a person to pick up the phone, two for a delivery, polling every 5 s. */
export const LIVE_TEST_DEFAULTS = { chatWaitMs: 300_000, deliveryWaitMs: 120_000, pollMs: 5_000 } as const;

/** Polls `probe` until it finds something or `waitMs` has passed; undefined when it never did. */
export async function waitFor<T>(
  clock: Clock,
  waitMs: number,
  pollMs: number,
  probe: () => Promise<T | undefined>,
) {
  const deadline = clock.now() + waitMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (clock.now() >= deadline) return undefined;
    await clock.sleep(Math.min(pollMs, Math.max(0, deadline - clock.now())));
  }
}

/**
 * Virtual time for unit tests: it moves only when a test advances it or a use case sleeps, so a
 * 90-second patience period costs no real time. `whileAsleep` lets another "invocation" act
 * during a sleep.
 */
export class ManualClock {
  readonly sleeps: number[] = [];
  whileAsleep: (sleptMs: number) => void = () => {};

  constructor(private at = Date.UTC(2025, 5, 2, 9, 0, 0)) {}

  readonly now = (): number => this.at;

  readonly sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.at += ms;
    this.whileAsleep(ms);
  };

  advance(ms: number): void {
    this.at += ms;
  }

  get slept(): number {
    return this.sleeps.reduce((sum, ms) => sum + ms, 0);
  }
}

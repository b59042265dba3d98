import { type MockInstance, vi } from 'vitest';

/**
 * Wall-clock time that can jump forward. It runs at real speed, plus an offset that grows only
 * when nothing is running (see `SimulatedQueue`'s `idle`), so the production timings the design
 * depends on (a 180 s visibility timeout, a 40 s chat-start lease, a 60 s send lease) keep their
 * real ratios while a redelivery costs no real time.
 *
 * It replaces Date.now, which is what the relay, its fakes and the queue read. It must be
 * installed before the relay modules are imported: index.ts captures `Date.now` itself.
 */
export class VirtualClock {
  private offset = 0;
  private readonly realNow = Date.now.bind(Date);
  private spy: MockInstance<() => number> | undefined;

  readonly now = (): number => this.realNow() + this.offset;

  install(): this {
    this.spy = vi.spyOn(Date, 'now').mockImplementation(this.now);
    return this;
  }

  /** How far time has been moved forward in total. */
  get skippedMs(): number {
    return this.offset;
  }

  advanceTo(at: number): void {
    const gap = at - this.now();
    if (gap > 0) this.offset += gap;
  }

  restore(): void {
    this.spy?.mockRestore();
    this.spy = undefined;
  }
}

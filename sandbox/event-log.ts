/** What a hop in the event log is: the architecture's boxes, in the order a message crosses them. */
export type HopKind = 'sns' | 'sqs' | 'function' | 'aws' | 'dlq' | 'sandbox';

export interface Hop {
  readonly seq: number;
  /** Wall-clock time of the hop, ms since the epoch (the sandbox's own clock, never time-travelled). */
  readonly at: number;
  readonly kind: HopKind;
  readonly text: string;
  /** How long it took, when it is a call or an invocation. */
  readonly ms?: number;
}

/** The sandbox's event log pane: every hop, newest last, the oldest dropped past `limit`. */
export class EventLog {
  private readonly hops: Hop[] = [];
  private seq = 0;

  constructor(
    private readonly realNow: () => number,
    private readonly limit = 500,
  ) {}

  add(kind: HopKind, text: string, ms?: number): void {
    this.seq += 1;
    this.hops.push({
      seq: this.seq,
      at: this.realNow(),
      kind,
      text,
      ...(ms === undefined ? {} : { ms: Math.round(ms * 10) / 10 }),
    });
    if (this.hops.length > this.limit) this.hops.splice(0, this.hops.length - this.limit);
  }

  /** Hops after `seq` (the page asks for what it has not seen). */
  since(seq: number): Hop[] {
    return this.hops.filter((hop) => hop.seq > seq);
  }
}

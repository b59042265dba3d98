/**
 * Deterministic randomness for the reliability suites. Nothing that decides what happens in a run
 * (fault, crash, order) may come from Math.random, or a failure could not be replayed.
 */

/** mulberry32: a small, fast 32-bit generator with good statistical quality for tests. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a, to turn a string key into a generator seed. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A uniform number in [0, 1) that depends only on the seed and the key. Keying a decision on what
 * is being decided (an operation, its ClientToken, which attempt) keeps it the same from run to
 * run even when concurrent calls interleave differently.
 */
export function keyedUniform(seed: number, key: string): number {
  return mulberry32(hash32(`${seed}|${key}`))();
}

/** A seeded sequence, for decisions taken up front (event order, which variant). */
export class SeededRandom {
  private readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = mulberry32(seed);
  }

  uniform(): number {
    return this.next();
  }

  /** An integer in [min, max]. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Fisher–Yates on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let index = copy.length - 1; index > 0; index--) {
      const other = Math.floor(this.next() * (index + 1));
      [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
    }
    return copy;
  }
}

/**
 * A suite's seed: fixed, so `npm test` is repeatable, and shifted by RELIABILITY_SEED_OFFSET to
 * explore other runs (`RELIABILITY_SEED_OFFSET=7 npx vitest run test/reliability`).
 */
export function suiteSeed(base: number): number {
  const offset = Number(process.env.RELIABILITY_SEED_OFFSET ?? 0);
  return base + (Number.isInteger(offset) ? offset : 0);
}

/**
 * Seeded randomness. One generator type; each subsystem derives its own stream from the run
 * seed and a label ("loss", "node:3"), so a new draw in one place never shifts another.
 */

/** A deterministic stream of pseudo-random numbers. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Whole number uniform in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
  /** Standard normal (mean 0, sd 1). */
  normal(): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One element, with the given relative weights. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
  /** Lower-case hex string of n digits. */
  hex(n: number): string;
}

/** 32-bit FNV-1a hash of a string, used to turn labels into seeds. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mixes integers into one well-spread 32-bit value (a stateless hash for per-tick noise). */
export function mix32(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Uniform in [0, 1) from a stateless hash of the given integers. */
export function hashUnit(...values: number[]): number {
  return mix32(...values) / 4294967296;
}

/** Creates the stream for `label` under `seed` (sfc32 seeded through splitmix-style mixing). */
export function createRng(seed: number, label = ""): Rng {
  const base = mix32(seed >>> 0, hashString(label));
  let a = mix32(base, 1), b = mix32(base, 2), c = mix32(base, 3), d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  // The second normal of each pair waits in a typed array: a number stored in a closure's
  // variable is boxed, one allocation per draw on the simulation's hottest path.
  const spare = new Float64Array(1);
  let hasSpare = false;
  const rng: Rng = {
    next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor((hi - lo + 1) * next()),
    normal() {
      if (hasSpare) {
        hasSpare = false;
        return spare[0];
      }
      const u = 1 - next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare[0] = r * Math.sin(2 * Math.PI * v);
      hasSpare = true;
      return r * Math.cos(2 * Math.PI * v);
    },
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted(items, weights) {
      const total = weights.reduce((s, w) => s + w, 0);
      let r = next() * total;
      for (let i = 0; i < items.length; i++) {
        r -= weights[i];
        if (r < 0) return items[i];
      }
      return items[items.length - 1];
    },
    hex(n) {
      let out = "";
      while (out.length < n) out += Math.floor(next() * 4294967296).toString(16).padStart(8, "0");
      return out.slice(0, n);
    },
  };
  return rng;
}

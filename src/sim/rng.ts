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
  return new Sfc32(mix32(seed >>> 0, hashString(label)));
}

/**
 * sfc32, its state in fields and its methods shared: a stream made of closures allocated a
 * dozen function objects and a context for each stream, and styles make a stream per line.
 */
class Sfc32 implements Rng {
  #a: number;
  #b: number;
  #c: number;
  #d = 1;
  /** The second normal of each pair, waiting for the next call. */
  #spare = 0;
  #hasSpare = false;

  constructor(base: number) {
    this.#a = mix32(base, 1);
    this.#b = mix32(base, 2);
    this.#c = mix32(base, 3);
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const b = this.#b, c = this.#c;
    const t = (((this.#a + b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = (((c << 21) | (c >>> 11)) + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor((hi - lo + 1) * this.next());
  }

  normal(): number {
    if (this.#hasSpare) {
      this.#hasSpare = false;
      return this.#spare;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    this.#hasSpare = true;
    return r * Math.cos(2 * Math.PI * v);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((s, w) => s + w, 0);
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i];
      if (r < 0) return items[i];
    }
    return items[items.length - 1];
  }

  hex(n: number): string {
    let out = "";
    while (out.length < n) {
      out += Math.floor(this.next() * 4294967296).toString(16).padStart(8, "0");
    }
    return out.slice(0, n);
  }
}

/**
 * rng.ts's hashUnit() for exactly three or four integers, without its rest arguments: the
 * telemetry worker hashes every GPU several times a tick, and building and spreading an array
 * per call cost more than the hashing. Same values bit for bit (tests/cluster/hash_test.ts).
 */

const START = 0x9e3779b9;

/** One round of rng.ts's mix32 over `v`. */
function mixIn(h: number, v: number): number {
  h = Math.imul(h ^ (v >>> 0), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** hashUnit(a, b, c): uniform in [0, 1). */
export function unit3(a: number, b: number, c: number): number {
  return (mixIn(mixIn(mixIn(START, a), b), c) >>> 0) / 4294967296;
}

/** hashUnit(a, b, c, d): uniform in [0, 1). */
export function unit4(a: number, b: number, c: number, d: number): number {
  return (mixIn(mixIn(mixIn(mixIn(START, a), b), c), d) >>> 0) / 4294967296;
}

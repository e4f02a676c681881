/**
 * JSON text of event data written straight into a ByteBuffer: the same bytes JSON.stringify
 * gives for the data with every non-integer rounded to 7 significant digits, at a fraction of
 * the cost per line.
 */
import { type ByteBuffer, DIGITS4 } from "./byte_buffer.ts";

/** Magnitudes the fast path handles (JavaScript prints them without an exponent). */
const FAST_MIN = 1e-6;
const FAST_MAX = 1e15;
/** Scaled values this close to a rounding tie take the exact (slow) way. */
const TIE_MARGIN = 1e-7;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const QUOTE = 0x22, COMMA = 0x2c, MINUS = 0x2d, DOT = 0x2e, ZERO = 0x30;

/** Bytes a number's JSON text may take (a minus, 21 digits, or an exponent form). */
export const NUMBER_MAX_BYTES = 32;

/** `a` × 10^k for |k| ≤ 22, rounded once (powers of ten up to 10^22 are exact doubles). */
function scaled(a: number, k: number): number {
  return k >= 0 ? a * POW10[k] : a / POW10[-k];
}

/** Copies the ASCII text `s` to `out` at `at`; returns the index after it. */
function putAscii(out: Uint8Array, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) out[at++] = s.charCodeAt(i);
  return at;
}

/** Digits of 1 ≤ n < 10^16 (a whole number). */
function digitCount(n: number): number {
  if (n < 1e4) return n < 10 ? 1 : n < 100 ? 2 : n < 1e3 ? 3 : 4;
  if (n < 1e8) return n < 1e5 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : 8;
  let d = 9;
  while (n >= POW10[d]) d++;
  return d;
}

/** Writes a whole number 0 ≤ n ≤ 2^53 in decimal at `at`; returns the index after it. */
export function putUint(out: Uint8Array, at: number, n: number): number {
  const end = at + (n === 0 ? 1 : digitCount(n));
  let p = end;
  // Four digits at a time from the right, straight from the table.
  while (n >= 10_000) {
    const q = Math.floor(n / 10_000);
    const r = 4 * (n - q * 10_000);
    out[p - 4] = DIGITS4[r];
    out[p - 3] = DIGITS4[r + 1];
    out[p - 2] = DIGITS4[r + 2];
    out[p - 1] = DIGITS4[r + 3];
    p -= 4;
    n = q;
  }
  for (let i = 4 * n + 3; p > at; i--) out[--p] = DIGITS4[i];
  return end;
}

/**
 * Writes n × 10^(e−6) for 10^6 ≤ n < 10^7 as Number.prototype.toString prints it for
 * −6 ≤ e < 15: plain decimal, no trailing zeros after the point. Returns the index after it.
 */
function putSevenDigits(out: Uint8Array, at: number, n: number, e: number): number {
  const high = (n / 10_000) | 0;
  const h = 4 * high + 1, l = 4 * (n - high * 10_000);
  if (e >= 6) {
    // Seven digits, then zeros up to the point: a whole number.
    out[at++] = DIGITS4[h];
    out[at++] = DIGITS4[h + 1];
    out[at++] = DIGITS4[h + 2];
    out[at++] = DIGITS4[l];
    out[at++] = DIGITS4[l + 1];
    out[at++] = DIGITS4[l + 2];
    out[at++] = DIGITS4[l + 3];
    for (let i = 6; i < e; i++) out[at++] = ZERO;
    return at;
  }
  if (e < 0) {
    out[at++] = ZERO;
    out[at++] = DOT;
    for (let i = -1; i > e; i--) out[at++] = ZERO;
  }
  // The point goes after digit e (0–5), or nowhere when e < 0 (written above).
  out[at++] = DIGITS4[h];
  if (e === 0) out[at++] = DOT;
  out[at++] = DIGITS4[h + 1];
  if (e === 1) out[at++] = DOT;
  out[at++] = DIGITS4[h + 2];
  if (e === 2) out[at++] = DOT;
  out[at++] = DIGITS4[l];
  if (e === 3) out[at++] = DOT;
  out[at++] = DIGITS4[l + 1];
  if (e === 4) out[at++] = DOT;
  out[at++] = DIGITS4[l + 2];
  if (e === 5) out[at++] = DOT;
  out[at++] = DIGITS4[l + 3];
  while (out[at - 1] === ZERO) at--;
  return out[at - 1] === DOT ? at - 1 : at;
}

/**
 * Writes `JSON.stringify(x)` for `x` = `v` rounded to 7 significant digits (integers as they
 * are, non-finite numbers as null) at `at`, with NUMBER_MAX_BYTES of room; returns the index
 * after it. Scales by an exact power of ten and rounds; the rare value whose scaled form lies
 * next to a tie, or beyond the plain decimal range, takes toPrecision.
 */
export function putCompactNumber(out: Uint8Array, at: number, v: number): number {
  NUMBER[0] = v;
  return putCompactAt(out, at, NUMBER, 0);
}

/** Where putCompactNumber() hands its number on (see putCompactAt). */
const NUMBER = new Float64Array(1);

/**
 * putCompactNumber() of `src[i]`. The number comes in a typed array because a number passed to a
 * function that is not inlined is boxed, one allocation per call: a step line writes fourteen.
 * putCompactNumber() is small enough to be inlined where it is called, so its number is not.
 */
export function putCompactAt(out: Uint8Array, at: number, src: Float64Array, i: number): number {
  const v = src[i];
  const a = v < 0 ? -v : v;
  const whole = Math.floor(a);
  if (a === whole) {
    if (a <= 2 ** 53) {
      if (v < 0) out[at++] = MINUS;
      return putUint(out, at, a);
    }
    return putAscii(out, at, a === Infinity ? "null" : String(v));
  }
  if (!(a >= FAST_MIN && a < FAST_MAX)) {
    return putAscii(out, at, a !== a ? "null" : String(Number(v.toPrecision(7))));
  }
  // The decimal exponent: a few comparisons cost less than Math.log10.
  let e: number;
  if (a >= 1) e = digitCount(whole) - 1;
  else for (e = -1; a * POW10[-1 - e] < 0.1; e--);
  let y = scaled(a, 6 - e);
  if (y >= 1e7) y = scaled(a, 6 - ++e);
  else if (y < 1e6) y = scaled(a, 6 - --e);
  const frac = y - Math.floor(y) - 0.5;
  if (frac < TIE_MARGIN && frac > -TIE_MARGIN) {
    return putAscii(out, at, String(Number(v.toPrecision(7))));
  }
  let n = Math.round(y);
  if (n === 1e7) (n = 1e6), e++;
  if (v < 0) out[at++] = MINUS;
  return putSevenDigits(out, at, n, e);
}

/** Writes `putCompactNumber`'s text of `v` into `b`. */
export function writeCompactNumber(b: ByteBuffer, v: number): void {
  b.reserve(NUMBER_MAX_BYTES);
  b.length = putCompactNumber(b.bytes, b.length, v);
}

/** Writes a JSON string literal. */
export function writeJsonString(b: ByteBuffer, s: string): void {
  const start = b.length;
  b.byte(QUOTE);
  if (b.plain(s)) return b.byte(QUOTE);
  b.length = start;
  b.text(JSON.stringify(s));
}

/** Writes plain data (objects, arrays, strings, numbers, booleans, null) as compact JSON. */
export interface JsonWriter {
  /** Writes `,"name":value` for every member JSON.stringify would keep, in key order. */
  members(b: ByteBuffer, obj: object): void;
  /** Writes a value; false (nothing written) for what JSON.stringify leaves out. */
  value(b: ByteBuffer, v: unknown): boolean;
}

/** Most keys a JSON writer keeps encoded (the program's events have a few hundred). */
const MAX_KEYS = 4096;

/** A writer with its own cache of encoded keys (one per renderer, no shared state). */
export function createJsonWriter(): JsonWriter {
  const keys = new Map<string, Uint8Array>();
  const encoder = new TextEncoder();
  const writeKey = (b: ByteBuffer, name: string) => {
    let k = keys.get(name);
    if (k === undefined) {
      k = encoder.encode(`,${JSON.stringify(name)}:`);
      // Bounded: one writer may serve every run of a --loop, whatever keys its events have.
      if (keys.size < MAX_KEYS) keys.set(name, k);
    }
    b.copy(k);
  };
  const members = (b: ByteBuffer, obj: object) => {
    for (const name in obj) {
      const at = b.length;
      writeKey(b, name);
      if (!value(b, (obj as Record<string, unknown>)[name])) b.length = at;
    }
  };
  const value = (b: ByteBuffer, v: unknown): boolean => {
    if (typeof v === "number") writeCompactNumber(b, v);
    else if (typeof v === "string") writeJsonString(b, v);
    else if (typeof v === "boolean") b.text(v ? "true" : "false");
    else if (v === null) b.text("null");
    else if (typeof v !== "object") return false;
    else if (Array.isArray(v)) array(b, v);
    else object(b, v);
    return true;
  };
  const array = (b: ByteBuffer, items: unknown[]) => {
    b.byte(0x5b);
    for (let i = 0; i < items.length; i++) {
      if (i > 0) b.byte(COMMA);
      if (!value(b, items[i])) b.text("null");
    }
    b.byte(0x5d);
  };
  const object = (b: ByteBuffer, obj: object) => {
    const open = b.length;
    members(b, obj);
    // The first member's comma becomes the opening brace.
    if (b.length === open) b.byte(0x7b);
    else b.bytes[open] = 0x7b;
    b.byte(0x7d);
  };
  return { members, value };
}

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

/** `a` × 10^k for |k| ≤ 22, rounded once (powers of ten up to 10^22 are exact doubles). */
function scaled(a: number, k: number): number {
  return k >= 0 ? a * POW10[k] : a / POW10[-k];
}

/**
 * Writes n × 10^(e−6) for 10^6 ≤ n < 10^7 as Number.prototype.toString prints it for
 * −6 ≤ e < 15: plain decimal, no trailing zeros after the point.
 */
function writeSevenDigits(b: ByteBuffer, n: number, e: number): void {
  b.reserve(24);
  const out = b.bytes;
  let at = b.length;
  if (e < 0) {
    out[at++] = ZERO;
    out[at++] = DOT;
    for (let i = -1; i > e; i--) out[at++] = ZERO;
  }
  const high = (n / 10_000) | 0;
  const h = 4 * high + 1, l = 4 * (n - high * 10_000);
  const point = e >= 0 && e < 6 ? e : -1;
  let dot = e < 0 ? b.length + 1 : -1;
  for (let i = 0; i < 7; i++) {
    out[at++] = i < 3 ? DIGITS4[h + i] : DIGITS4[l + i - 3];
    if (i === point) (dot = at), (out[at++] = DOT);
  }
  for (let i = 6; i < e; i++) out[at++] = ZERO;
  if (dot >= 0) {
    while (out[at - 1] === ZERO) at--;
    if (at - 1 === dot) at--;
  }
  b.length = at;
}

/**
 * Writes `JSON.stringify(x)` for `x` = `v` rounded to 7 significant digits (integers as they
 * are, non-finite numbers as null). Scales by an exact power of ten and rounds; the rare value
 * whose scaled form lies next to a tie, or beyond the plain decimal range, takes toPrecision.
 */
export function writeCompactNumber(b: ByteBuffer, v: number): void {
  if (Number.isInteger(v)) {
    if (v >= 0 && v <= 2 ** 53) b.uint(v);
    else b.text(String(v));
    return;
  }
  if (!Number.isFinite(v)) return b.text("null");
  const a = Math.abs(v);
  if (a < FAST_MIN || a >= FAST_MAX) return b.text(String(Number(v.toPrecision(7))));
  // The decimal exponent: a few comparisons cost less than Math.log10.
  let e = 0;
  if (a >= 1) { while (a >= POW10[e + 1]) e++; }
  else for (e = -1; a * POW10[-1 - e] < 0.1; e--);
  let y = scaled(a, 6 - e);
  if (y >= 1e7) y = scaled(a, 6 - ++e);
  else if (y < 1e6) y = scaled(a, 6 - --e);
  if (Math.abs(y - Math.floor(y) - 0.5) < TIE_MARGIN) {
    return b.text(String(Number(v.toPrecision(7))));
  }
  let n = Math.round(y);
  if (n === 1e7) (n = 1e6), e++;
  if (v < 0) b.byte(MINUS);
  writeSevenDigits(b, n, e);
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

/** A writer with its own cache of encoded keys (one per renderer, no shared state). */
export function createJsonWriter(): JsonWriter {
  const keys = new Map<string, Uint8Array>();
  const encoder = new TextEncoder();
  const writeKey = (b: ByteBuffer, name: string) => {
    let k = keys.get(name);
    if (k === undefined) keys.set(name, k = encoder.encode(`,${JSON.stringify(name)}:`));
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

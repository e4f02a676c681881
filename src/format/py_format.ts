/**
 * Python's float formatting with its exact rounding: `format(x, ".2f")`, `",.3f"` and `".3g"`
 * round the float's exact binary value half to even, where JavaScript's toFixed and
 * toExponential round an exact tie up (`format(0.125, ".2f")` is `0.12`, `(0.125).toFixed(2)`
 * is `0.13`).
 */

const F64 = new DataView(new ArrayBuffer(8));

/** x ≥ 0 as mantissa × 2^exponent with an integer mantissa. */
function decompose(x: number): [bigint, number] {
  F64.setFloat64(0, x);
  const hi = F64.getUint32(0), lo = F64.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return [frac, -1074];
  return [frac | (1n << 52n), biased - 1075];
}

/** round(x × 10^k) half to even, exactly, for finite x ≥ 0 and any integer k. */
function roundScaled(x: number, k: number): bigint {
  const [mant, exp] = decompose(x);
  let num = mant, den = 1n;
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  const q = num / den, twice = (num % den) * 2n;
  if (twice > den || (twice === den && q % 2n === 1n)) return q + 1n;
  return q;
}

/** Whether x × 10^k lies within a hair of a half: only then can JS and Python disagree. */
function nearTie(x: number, k: number): boolean {
  const scaled = x * 10 ** k;
  return Math.abs(scaled - Math.floor(scaled) - 0.5) < 1e-6 * Math.max(1, scaled);
}

function withPoint(digits: string, decimals: number): string {
  if (decimals === 0) return digits;
  const padded = digits.padStart(decimals + 1, "0");
  return `${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
}

/** Python's `format(x, f".{decimals}f")`: `pyFixed(0.125, 2)` is `0.12`. */
export function pyFixed(x: number, decimals: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const a = Math.abs(x);
  if (!nearTie(a, decimals)) return sign + a.toFixed(decimals);
  return sign + withPoint(roundScaled(a, decimals).toString(), decimals);
}

/** Python's `format(x, f",.{decimals}f")`: thousands grouped with commas, `1,013.681`. */
export function pyFixedGrouped(x: number, decimals: number): string {
  const s = pyFixed(x, decimals);
  const [int, frac] = s.split(".");
  const grouped = int.replace(/\B(?=(\d{3})+$)/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** Digits and decimal exponent of |x| rounded to `precision` significant digits. */
function significant(a: number, precision: number): [string, number] {
  // toExponential rounds the exact value correctly except for an exact tie, which it rounds up.
  const [mantissa, expText] = a.toExponential(precision - 1).split("e");
  if (!nearTie(a, precision - 1 - Number(expText))) {
    return [mantissa.replace(".", ""), Number(expText)];
  }
  let exp = Math.floor(Math.log10(a));
  let n = roundScaled(a, precision - 1 - exp);
  // log10 can land one off near powers of ten, and rounding can carry into a new digit.
  if (n >= 10n ** BigInt(precision)) n = roundScaled(a, precision - 1 - ++exp);
  else if (n < 10n ** BigInt(precision - 1)) n = roundScaled(a, precision - 1 - --exp);
  if (n >= 10n ** BigInt(precision)) (n /= 10n), exp++;
  return [n.toString(), exp];
}

function stripZeros(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/** Python's `format(x, f".{precision}g")`: `3.2e+04`, `9.65`, `0.000123`, `nan`. */
export function pyG(x: number, precision: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const sign = x < 0 ? "-" : "";
  const [digits, exp] = significant(Math.abs(x), precision);
  if (exp >= -4 && exp < precision) {
    const decimals = precision - 1 - exp;
    const body = decimals > 0 ? withPoint(digits, decimals) : digits + "0".repeat(-decimals);
    return sign + stripZeros(body);
  }
  const mantissa = stripZeros(withPoint(digits, precision - 1));
  const e = `${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return `${sign}${mantissa}e${e}`;
}

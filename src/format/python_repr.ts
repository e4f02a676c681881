/** Numbers as Python prints them: float repr, round(), %g, tqdm's format_num and dict literals. */

/** Python's `repr(float)`: shortest round-trip digits, `1.0`, `0.0001`, `1e-05`, `1e+16`. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  // toExponential() without digits gives the shortest digits that round-trip, as repr does.
  const [mantissa, expText] = Math.abs(x).toExponential().split("e");
  const exp = Number(expText);
  const digits = mantissa.replace(".", "");
  let body: string;
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  } else if (exp < 0) {
    body = `0.${"0".repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    body = `${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
  } else {
    body = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return (x < 0 ? "-" : "") + body;
}

/** Python's `round(x, ndigits)` for a float: the double nearest the rounded decimal. */
export function pyRound(x: number, ndigits: number): number {
  return Number(x.toFixed(ndigits));
}

/** Python's `'%.{p}g' % x`: p significant digits, trailing zeros stripped. */
export function pyGeneral(x: number, precision: number): string {
  if (x === 0) return "0";
  const [mantissa, expText] = x.toExponential(precision - 1).split("e");
  const exp = Number(expText);
  const strip = (s: string) => s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
  if (exp >= -4 && exp < precision) return strip(x.toFixed(Math.max(0, precision - 1 - exp)));
  return `${strip(mantissa)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** tqdm's `format_num`: `{:.3g}` with short exponents, unless the plain repr is shorter. */
export function tqdmNum(x: number): string {
  const short = pyGeneral(x, 3).replace("e+0", "e+").replace("e-0", "e-");
  const plain = pyFloat(x);
  return short.length < plain.length ? short : plain;
}

/** A Python dict literal from rendered values: `{'loss': 0.7574, 'epoch': 0.64}`. */
export function pyDict(entries: ReadonlyArray<readonly [string, string]>): string {
  return `{${entries.map(([k, v]) => `'${k}': ${v}`).join(", ")}}`;
}

/** A Python string literal with single quotes. */
export function pyStr(s: string): string {
  return `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** C's `%.{digits}E`, as Megatron prints losses: `2.198845E+00`. */
export function sciUpper(x: number, digits: number): string {
  return x.toExponential(digits).replace(/e([+-])(\d)$/, "e$10$2").toUpperCase();
}

/** Python `logging` level names for a line's level. */
export const PY_LEVEL: Readonly<Record<"info" | "warn" | "error", string>> = {
  info: "INFO",
  warn: "WARNING",
  error: "ERROR",
};

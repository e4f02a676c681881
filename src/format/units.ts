/** Number, size and duration formats shared by every output style. */

/**
 * `String(n)`, without V8's number-string cache: String(), `${n}`, `"" + n` and toString()
 * keep each number and its text in a table of the last 16,384 converted, so every step's new
 * number (a step count, a token total) outlives the young generation's collections, and those
 * surviving bytes are what grows the young generation (1 to 16 MiB semi-spaces) and the heap
 * with it over a long run. JSON.stringify writes the same digits (ECMAScript: ToString of a
 * finite number) from a buffer of its own. Use it for numbers that are new at every line.
 */
export function decimal(n: number): string {
  return Number.isFinite(n) ? JSON.stringify(n) : String(n);
}

/**
 * `x.toFixed(1)` for 0 ≤ x < 2^31 / 10, by integer arithmetic; a value next to a tie, where the
 * exact decimal expansion decides, takes toFixed itself.
 */
export function tenths(x: number): string {
  const scaled = x * 10;
  const n = Math.round(scaled);
  if (!(x >= 0 && scaled < 2 ** 31) || Math.abs(scaled - n) > 0.5 - 1e-6) return x.toFixed(1);
  const whole = (n / 10) | 0;
  return `${whole}.${n - whole * 10}`;
}

/** `1234567` → `"1,234,567"`. */
export function thousands(n: number): string {
  return decimal(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Parameter counts as papers write them: 124M, 8.03B, 1.2T. */
export function formatParams(n: number): string {
  if (n >= 1e12) return `${(n / 1e12).toFixed(2)}T`;
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e11 ? 0 : n >= 1e10 ? 1 : 2)}B`;
  if (n >= 1e6) return `${Math.round(n / 1e6)}M`;
  return thousands(n);
}

/** Token counts: 2.10M, 31.4B, 1.30T. */
export function formatTokens(n: number): string {
  if (n >= 1e12) return `${(n / 1e12).toFixed(2)}T`;
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e11 ? 0 : 1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** Byte sizes in binary units: 512 B, 3.2 MiB, 1.47 TiB. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let v = bytes, i = 0;
  while (v >= 1024 && i < units.length - 1) (v /= 1024), i++;
  return i === 0
    ? `${Math.round(v)} B`
    : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[i]}`;
}

/** Rates with a metric suffix: 412.3k, 1.24M. */
export function formatRate(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(1);
}

/** Seconds as H:MM:SS (or D-HH:MM:SS past a day), the way trainers print elapsed and ETA. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mmss = `${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
  if (d > 0) return `${d}-${String(h).padStart(2, "0")}:${mmss}`;
  return `${h}:${mmss}`;
}

/** tqdm's short clock: MM:SS, or H:MM:SS past an hour. */
export function formatClock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mmss = `${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}:${
    String(s % 60).padStart(2, "0")
  }`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** Seconds with sensible precision: 0.84 s, 12.3 s, 5m 12s. */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)}m ${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
}

/** Exponent notation with a two-digit exponent, as Python prints it: 3.000e-04. */
export function formatExp(value: number, digits: number): string {
  const text = value.toExponential(digits);
  const e = text.lastIndexOf("e");
  // A one-digit exponent ("e-4") gets its leading zero; a string slice, not a regex, per call.
  return e >= 0 && e === text.length - 3 ? `${text.slice(0, e + 2)}0${text.slice(e + 2)}` : text;
}

/** Learning rates as trainers print them: 3.000e-04. */
export function formatLr(lr: number): string {
  return formatExp(lr, 3);
}

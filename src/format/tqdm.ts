/** tqdm as it reads in a captured log: a 10-cell bar, `[elapsed<remaining, rate]`, postfix. */
import { blockBar } from "./meter.ts";
import { formatClock } from "./units.ts";
import { pyFixed, pyG } from "./py_format.ts";
import { pyFloat } from "./python_repr.ts";

/** tqdm's rate: ` 2.41it/s`, or ` 7.34s/it` below one per second (`{:5.2f}`). */
export function tqdmRate(secondsPerIt: number, unit = "it"): string {
  if (!(secondsPerIt > 0) || !Number.isFinite(secondsPerIt)) return `?${unit}/s`;
  return secondsPerIt <= 1
    ? `${(1 / secondsPerIt).toFixed(2).padStart(5)}${unit}/s`
    : `${secondsPerIt.toFixed(2).padStart(5)}s/${unit}`;
}

/** tqdm's `format_sizeof`: three significant digits and an SI suffix (`7.70G`). */
export function tqdmSize(n: number): string {
  let v = n;
  for (const suffix of ["", "k", "M", "G", "T", "P"]) {
    if (Math.abs(v) < 999.5) {
      if (Math.abs(v) < 99.95) {
        if (Math.abs(v) < 9.995) return `${v.toFixed(2)}${suffix}`;
        return `${v.toFixed(1)}${suffix}`;
      }
      return `${v.toFixed(0)}${suffix}`;
    }
    v /= 1000;
  }
  return `${v.toFixed(1)}E`;
}

/** One meter line: `desc:  64%|██████▍   | 318/500 [21:52<22:16,  7.34s/it, loss=0.73]`. */
export function tqdmLine(
  desc: string,
  done: string | number,
  total: string | number,
  fraction: number,
  elapsedS: number,
  remainingS: number,
  rate: string,
  postfix = "",
): string {
  const pct = `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}`.padStart(3);
  return `${desc ? `${desc}: ` : ""}${pct}%|${blockBar(fraction, 10)}| ${done}/${total} ` +
    `[${formatClock(elapsedS)}<${formatClock(remainingS)}, ${rate}${
      postfix ? `, ${postfix}` : ""
    }]`;
}

/** tqdm's `format_interval`: whole seconds as `MM:SS`, or `H:MM:SS` from an hour on. */
export function formatInterval(seconds: number): string {
  const t = Math.trunc(seconds);
  const s = t % 60, mins = (t - s) / 60, m = mins % 60, h = (mins - m) / 60;
  const two = (v: number) => String(v).padStart(2, "0");
  return h ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

const UTF_BLOCKS = " ▏▎▍▌▋▊▉█";

/** tqdm's `Bar` of `width` cells (10 when the width is unknown, as in a log file). */
export function tqdmBar(fraction: number, width = 10, blank = false): string {
  if (blank) return " ".repeat(width);
  // Python: divmod(int(frac * N_BARS * nsyms), nsyms), evaluated left to right.
  const eighths = Math.trunc(fraction * width * 8);
  const full = Math.floor(eighths / 8), part = eighths % 8;
  if (full >= width) return "█".repeat(full);
  return "█".repeat(full) + UTF_BLOCKS[part] + " ".repeat(width - full - 1);
}

/** What `tqdm.format_meter` is given: progress, time, labels and the bar format. */
export interface Meter {
  n: number;
  /** null when the total is unknown. */
  total: number | null;
  elapsedS: number;
  desc: string;
  /** Iterations per second, or null for the overall average n / elapsed. */
  rate: number | null;
  postfix?: string;
  unit?: string;
  /**
   * `default` is tqdm's own layout (`7.34s/it` below one per second); `lightning` is
   * Lightning's BAR_FORMAT, which always shows `rate_noinv_fmt` (`0.14it/s`).
   */
  format?: "default" | "lightning";
}

/** The rate cell of `{rate:5.2f}` or `?`, with its unit. */
function rateCells(rate: number | null, unit: string): { noinv: string; fmt: string } {
  const noinv = `${rate ? pyFixed(rate, 2).padStart(5) : "?"}${unit}/s`;
  const inv = rate ? 1 / rate : null;
  const invFmt = `${inv ? pyFixed(inv, 2).padStart(5) : "?"}s/${unit}`;
  return { noinv, fmt: inv && inv > 1 ? invFmt : noinv };
}

/** tqdm's `format_meter` for a bar without a known width (10 cells), as a log file shows it. */
export function formatMeter(m: Meter): string {
  const unit = m.unit ?? "it";
  const rate = m.rate === null && m.elapsedS ? m.n / m.elapsedS : m.rate;
  const { noinv, fmt } = rateCells(rate, unit);
  const postfix = m.postfix ? `, ${m.postfix}` : "";
  const remaining = rate && m.total ? (m.total - m.n) / rate : 0;
  const remainingStr = rate ? formatInterval(remaining) : "?";
  const elapsed = formatInterval(m.elapsedS);
  const prefix = m.desc ? (m.desc.endsWith(": ") ? m.desc : `${m.desc}: `) : "";
  const lightning = m.format === "lightning";
  const totalFmt = m.total === null ? "?" : String(m.total);
  if (m.total) {
    const frac = m.n / m.total;
    const lBar = `${prefix}${pyFixed(frac * 100, 0).padStart(3)}%|`;
    const tail = `| ${m.n}/${totalFmt} [${elapsed}<${remainingStr}, ${lightning ? noinv : fmt}`;
    return `${lBar}${tqdmBar(frac)}${tail}${postfix}]`;
  }
  if (lightning) {
    return `${prefix}|${tqdmBar(0, 10, true)}| ${m.n}/${totalFmt} [${elapsed}<${remainingStr}, ` +
      `${noinv}${postfix}]`;
  }
  return `${prefix}${m.n}${unit} [${elapsed}, ${fmt}${postfix}]`;
}

/**
 * Lightning's `Tqdm.format_num` on top of tqdm's: `{:.3g}` unless `str()` is shorter, then floats
 * and strings without an `e` padded with zeros to five characters (`4.630`, `85.30`, `nan.0`);
 * integers as they are.
 */
export function lightningNum(x: number | string, isInt = false): string {
  let n: string;
  if (typeof x === "string") {
    n = x;
  } else {
    const short = pyG(x, 3).replace("e+0", "e+").replace("e-0", "e-");
    const plain = isInt ? String(x) : pyFloat(x);
    n = short.length < plain.length ? short : plain;
    if (isInt) return n;
  }
  if (n.includes("e")) return n;
  if (!n.includes(".") && n.length < 5) {
    if (!/^\s*[+-]?(\d+\.?\d*|\.\d+|nan|inf|infinity)\s*$/i.test(n)) return n;
    n += ".";
  }
  return n + "0".repeat(Math.max(0, 5 - n.length));
}

/**
 * tqdm's meter with tqdm's own arithmetic: `format_meter`'s layout (a fixed `ncols` width, or a
 * 10-cell bar without one), `{:5.2f}` rates switching to s/it below 1 it/s, `[H:]MM:SS`
 * intervals, and the bias-corrected EMA of the increments and intervals between prints that
 * gives the rate (smoothing 0.3) and the remaining time. `TqdmBar` replays `update()`'s
 * mininterval/miniters rules on a given clock, so a caller learns which updates print a frame.
 */
import { blockBar } from "./meter.ts";
import { decimal, formatClock } from "./units.ts";
import { pyG } from "./py_format.ts";
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

/** tqdm's `format_interval`: `MM:SS`, or `H:MM:SS` (hours unpadded, seconds truncated). */
export function tqdmInterval(seconds: number): string {
  const sign = seconds < 0 ? "-" : "";
  const total = Math.abs(Math.trunc(seconds));
  const s = total % 60, mins = Math.floor(total / 60);
  const h = Math.floor(mins / 60), m = mins % 60;
  const two = (x: number) => String(x).padStart(2, "0");
  return h ? `${sign}${h}:${two(m)}:${two(s)}` : `${sign}${two(m)}:${two(s)}`;
}

/** Python's `f"{x:5.2f}"` for a positive rate (ties as the binary value falls, as printf does). */
function fixed52(x: number): string {
  return x.toFixed(2).padStart(5);
}

/** Python's `f"{x:3.0f}"`: round half to even on the exact binary value. */
export function pyPercent(x: number): string {
  const floor = Math.floor(x);
  const diff = x - floor;
  const r = diff > 0.5 ? floor + 1 : diff < 0.5 ? floor : (floor % 2 === 0 ? floor : floor + 1);
  return String(r).padStart(3);
}

/** tqdm's two bar alphabets: blocks in eighths, or ASCII digits and `#` when not UTF-8. */
const UTF_CHARS = " ▏▎▍▌▋▊▉█";
const ASCII_CHARS = " 123456789#";

/** tqdm's `Bar`: `width` cells filled to `frac` (0–1), in the UTF-8 or ASCII alphabet. */
export function tqdmBar(frac: number, width = 10, ascii = false): string {
  const chars = ascii ? ASCII_CHARS : UTF_CHARS;
  const nsyms = chars.length - 1;
  const units = Math.trunc(frac * width * nsyms);
  const full = Math.floor(units / nsyms), part = units % nsyms;
  let bar = chars[nsyms].repeat(Math.min(full, width));
  if (full < width) bar += chars[part] + chars[0].repeat(width - full - 1);
  return bar;
}

/** What `format_meter` needs for one frame. */
export interface MeterArgs {
  n: number;
  /** The total, or null when unknown (`0it [00:00, ?it/s]`). */
  total: number | null;
  elapsedS: number;
  /** Items per second, or null before a rate is known (then n/elapsed, or "?"). */
  rate: number | null;
  /** The fixed line width (`ncols`), or null (the default) for a 10-cell bar. */
  ncols?: number | null;
  ascii?: boolean;
  desc?: string;
  unit?: string;
  /** Rates with SI suffixes (`unit_scale`) instead of `{:5.2f}`. */
  unitScale?: boolean;
  /** The counter's start (a resumed bar): the overall rate counts from there. */
  initial?: number;
  /** `set_postfix`'s text, after the rate. */
  postfix?: string;
  /**
   * `default` is tqdm's own layout (`7.34s/it` below one per second); `lightning` is
   * Lightning's BAR_FORMAT, which always shows `rate_noinv_fmt` (`0.14it/s`).
   */
  format?: "default" | "lightning";
}

/** tqdm's `format_meter`, byte for byte. */
export function formatMeter(a: MeterArgs): string {
  const unit = a.unit ?? "it";
  let rate = a.rate;
  if (rate === null && a.elapsedS) rate = (a.n - (a.initial ?? 0)) / a.elapsedS;
  const inv = rate ? 1 / rate : null;
  const sizeOf = (x: number) => a.unitScale ? tqdmSize(x) : fixed52(x);
  const noinv = `${rate ? sizeOf(rate) : "?"}${unit}/s`;
  const rateFmt = a.format === "lightning"
    ? noinv
    : inv && inv > 1
    ? `${sizeOf(inv)}s/${unit}`
    : noinv;
  const postfix = a.postfix ? `, ${a.postfix}` : "";
  const remaining = rate && a.total ? (a.total - a.n) / rate : 0;
  const remainingStr = rate ? tqdmInterval(remaining) : "?";
  const desc = a.desc ? (a.desc.endsWith(": ") ? a.desc : `${a.desc}: `) : "";
  const elapsed = tqdmInterval(a.elapsedS);
  if (!a.total) {
    // No total: Lightning's format keeps an empty bar; tqdm's own shows a counter.
    // (decimal(): a count new at every update, kept out of V8's number-string cache.)
    const n = decimal(a.n);
    if (a.format !== "lightning") return `${desc}${n}${unit} [${elapsed}, ${rateFmt}${postfix}]`;
    return `${desc}|${" ".repeat(10)}| ${n}/? [${elapsed}<${remainingStr}, ${rateFmt}${postfix}]`;
  }
  const lBar = `${desc}${pyPercent((a.n / a.total) * 100)}%|`;
  const rBar = `| ${decimal(a.n)}/${a.total} [${elapsed}<${remainingStr}, ${rateFmt}${postfix}]`;
  const width = a.ncols ? Math.max(1, a.ncols - lBar.length - rBar.length) : 10;
  return lBar + tqdmBar(a.n / a.total, width, a.ascii) + rBar;
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

/** tqdm's `EMA`: smoothing 0.3, bias-corrected by the number of values seen. */
export class TqdmEma {
  #last = 0;
  #calls = 0;
  constructor(readonly alpha = 0.3) {}

  /** Folds in `x` (when given) and returns the corrected average. */
  value(x?: number): number {
    const beta = 1 - this.alpha;
    if (x !== undefined) {
      this.#last = this.alpha * x + beta * this.#last;
      this.#calls += 1;
    }
    return this.#calls ? this.#last / (1 - beta ** this.#calls) : this.#last;
  }
}

/**
 * One tqdm bar on a clock the caller supplies (seconds): `update()` applies tqdm's rules
 * (mininterval 0.1 s, dynamic miniters, maxinterval 10 s) and returns the frame it prints, or
 * null when it prints nothing; `frame()` is a refresh at a given time; `closeFrame()` is the
 * last frame `close()` prints with `leave`, whose rate is the whole-run average.
 */
export class TqdmBar {
  n = 0;
  #lastPrintN = 0;
  #lastPrintT: number;
  #miniters = 0;
  #emaDn = new TqdmEma();
  #emaDt = new TqdmEma();
  #emaMiniters = new TqdmEma();
  #rateKnown = false;
  readonly initial: number;

  constructor(
    readonly total: number,
    readonly startS: number,
    readonly ncols: number | null,
    readonly ascii = false,
    readonly desc = "",
    initial = 0,
    readonly unit = "it",
  ) {
    this.#lastPrintT = startS;
    this.initial = initial;
    this.n = initial;
    this.#lastPrintN = initial;
  }

  /** The smoothed rate, items per second, or null before the first printed update. */
  rate(): number | null {
    if (!this.#rateKnown) return null;
    const dt = this.#emaDt.value();
    return dt ? this.#emaDn.value() / dt : null;
  }

  /** The frame a refresh at `nowS` draws. */
  frame(nowS: number): string {
    return formatMeter({
      n: this.n,
      total: this.total,
      elapsedS: nowS - this.startS,
      rate: this.rate(),
      ncols: this.ncols,
      ascii: this.ascii,
      desc: this.desc,
      unit: this.unit,
    });
  }

  /** Advances by `dn` at `nowS`; the frame printed, or null when tqdm stays quiet. */
  update(dn: number, nowS: number): string | null {
    this.n += dn;
    if (this.n - this.#lastPrintN < this.#miniters) return null;
    const dt = nowS - this.#lastPrintT;
    if (dt < 0.1) return null;
    const printedDn = this.n - this.#lastPrintN;
    if (dt && printedDn) {
      this.#emaDn.value(printedDn);
      this.#emaDt.value(dt);
      this.#rateKnown = true;
    }
    const out = this.frame(nowS);
    this.#miniters = dt >= 10
      ? (printedDn * 0.1) / dt
      : this.#emaMiniters.value(printedDn * (0.1 / dt));
    this.#lastPrintN = this.n;
    this.#lastPrintT = nowS;
    return out;
  }

  /** The frame `close()` prints when the bar is left on screen: the overall average rate. */
  closeFrame(nowS: number): string {
    return formatMeter({
      n: this.n,
      total: this.total,
      elapsedS: nowS - this.startS,
      rate: null,
      ncols: this.ncols,
      ascii: this.ascii,
      desc: this.desc,
      initial: this.initial,
      unit: this.unit,
    });
  }
}

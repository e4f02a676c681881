/**
 * One tqdm bar as an object of tqdm's own: what each call writes to its stream (`\r` + the meter
 * + spaces over the rest of the previous print; a bar at position p first moves down p lines
 * and back up after), with tqdm's EMA-smoothed rate for `update()` and the overall average for
 * a bar whose `n` is set directly (as Lightning does). Times are seconds on any clock.
 */
import { formatMeter, type MeterArgs } from "./tqdm.ts";

/** tqdm's exponential moving average (`tqdm.utils.EMA`), debiased by its number of calls. */
export interface Ema {
  alpha: number;
  last: number;
  calls: number;
}

/** A fresh average with `smoothing` (tqdm's default is 0.3). */
export function createEma(smoothing: number): Ema {
  return { alpha: smoothing, last: 0, calls: 0 };
}

/** Feeds `x` into the average, as `EMA.__call__(x)`. */
export function emaPush(e: Ema, x: number): void {
  e.last = e.alpha * x + (1 - e.alpha) * e.last;
  e.calls += 1;
}

/** The debiased value, as `EMA.__call__()`. */
export function emaValue(e: Ema): number {
  const beta = 1 - e.alpha;
  return e.calls ? e.last / (1 - beta ** e.calls) : e.last;
}

/** A bar's state between calls. */
export interface TqdmBar {
  desc: string;
  total: number | null;
  n: number;
  postfix: string;
  format: MeterArgs["format"];
  /** Lines below the cursor's line (Lightning's validation bar sits at 1 under the epoch bar). */
  pos: number;
  leave: boolean;
  smoothing: number;
  startS: number;
  lastPrintN: number;
  lastPrintS: number;
  miniters: number;
  emaDn: Ema;
  emaDt: Ema;
  emaMiniters: Ema;
  /** Length of the last status written, which the next one pads over. */
  lastLen: number;
  closed: boolean;
}

/** What a new bar is given; the rest takes tqdm's defaults. */
export interface BarOptions {
  desc: string;
  total?: number | null;
  format?: MeterArgs["format"];
  pos?: number;
  leave?: boolean;
  smoothing?: number;
}

const MININTERVAL_S = 0.1;
const MAXINTERVAL_S = 10;
const MOVE_UP = "\x1b[A";

/** Creates a bar at time `nowS` and returns it with what its constructor prints. */
export function openBar(o: BarOptions, nowS: number): [TqdmBar, string] {
  const smoothing = o.smoothing ?? 0.3;
  const bar: TqdmBar = {
    desc: o.desc,
    total: o.total ?? null,
    n: 0,
    postfix: "",
    format: o.format ?? "default",
    pos: o.pos ?? 0,
    leave: o.leave ?? true,
    smoothing,
    startS: nowS,
    lastPrintN: 0,
    lastPrintS: nowS,
    miniters: 0,
    emaDn: createEma(smoothing),
    emaDt: createEma(smoothing),
    emaMiniters: createEma(smoothing),
    lastLen: 0,
    closed: false,
  };
  return [bar, refresh(bar, nowS)];
}

/** The meter text at `nowS`; `average` ignores the EMA, as tqdm does when a bar closes. */
export function meterText(bar: TqdmBar, nowS: number, average = false): string {
  const dt = emaValue(bar.emaDt);
  const rate = !average && dt ? emaValue(bar.emaDn) / dt : null;
  return formatMeter({
    n: bar.n,
    total: bar.total,
    elapsedS: nowS - bar.startS,
    desc: bar.desc,
    rate,
    postfix: bar.postfix,
    format: bar.format,
  });
}

/** The status printer: `\r`, the text, spaces over what is left of the previous one. */
function status(bar: TqdmBar, text: string): string {
  const pad = Math.max(bar.lastLen - text.length, 0);
  bar.lastLen = text.length;
  return `\r${text}${" ".repeat(pad)}`;
}

function display(bar: TqdmBar, text: string): string {
  if (!bar.pos) return status(bar, text);
  return "\n".repeat(bar.pos) + status(bar, text) + MOVE_UP.repeat(bar.pos);
}

/** `refresh()`: prints the bar as it stands. */
export function refresh(bar: TqdmBar, nowS: number): string {
  return bar.closed ? "" : display(bar, meterText(bar, nowS));
}

/** Lightning's `_update_n`: sets `n` and refreshes, bypassing the EMA. */
export function setN(bar: TqdmBar, n: number, nowS: number): string {
  bar.n = n;
  return refresh(bar, nowS);
}

/** `update(dn)`: counts on, and prints when enough time and iterations went by. */
export function update(bar: TqdmBar, dn: number, nowS: number): string {
  if (bar.closed) return "";
  bar.n += dn;
  if (bar.n - bar.lastPrintN < bar.miniters) return "";
  const dt = nowS - bar.lastPrintS;
  if (dt < MININTERVAL_S) return "";
  const printedDn = bar.n - bar.lastPrintN;
  if (bar.smoothing && dt && printedDn) {
    emaPush(bar.emaDn, printedDn);
    emaPush(bar.emaDt, dt);
  }
  const out = refresh(bar, nowS);
  if (dt >= MAXINTERVAL_S) bar.miniters = (printedDn * MININTERVAL_S) / dt;
  else if (bar.smoothing) {
    emaPush(bar.emaMiniters, printedDn * (MININTERVAL_S / dt));
    bar.miniters = emaValue(bar.emaMiniters);
  } else bar.miniters = Math.max(bar.miniters, printedDn);
  bar.lastPrintN = bar.n;
  bar.lastPrintS = nowS;
  return out;
}

/** `reset(total)`: back to zero with a new start time and fresh averages. */
export function reset(bar: TqdmBar, total: number | null, nowS: number): string {
  bar.n = 0;
  if (total !== null) bar.total = total;
  bar.lastPrintN = 0;
  bar.lastPrintS = bar.startS = nowS;
  bar.emaDn = createEma(bar.smoothing);
  bar.emaDt = createEma(bar.smoothing);
  bar.emaMiniters = createEma(bar.smoothing);
  return refresh(bar, nowS);
}

/** `set_description(desc)`. */
export function describe(bar: TqdmBar, desc: string, nowS: number): string {
  bar.desc = desc;
  return refresh(bar, nowS);
}

/** `set_postfix(...)` with the postfix already joined as `key=value, key=value`. */
export function setPostfix(bar: TqdmBar, postfix: string, nowS: number): string {
  bar.postfix = postfix;
  return refresh(bar, nowS);
}

/** `close()`: a bar that is left prints once more at its average rate and ends the line. */
export function close(bar: TqdmBar, nowS: number): string {
  if (bar.closed) return "";
  bar.closed = true;
  // A bar that is left is printed at position 0 whatever its own position.
  if (bar.leave) return `${status(bar, meterText(bar, nowS, true))}\n`;
  const cleared = display(bar, "");
  return bar.pos ? cleared : `${cleared}\r`;
}

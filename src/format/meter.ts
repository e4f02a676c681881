/** A tqdm-style meter line: a pure function of progress and time, with "?" until known. */
import { formatClock } from "./units.ts";

const EIGHTHS = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/** A bar of `width` cells filled to `fraction` (0–1) with eighth-block precision. */
export function blockBar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const cells = f * width;
  const full = Math.floor(cells);
  const part = Math.floor((cells - full) * 8);
  const tail = full < width ? EIGHTHS[part] + " ".repeat(width - full - 1) : "";
  return "█".repeat(full) + tail;
}

/** Rate as tqdm shows it: `2.41it/s`, or `7.34s/it` below one per second. */
export function formatIterRate(perSecond: number, unit = "it"): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return `?${unit}/s`;
  return perSecond >= 1
    ? `${perSecond.toFixed(2)}${unit}/s`
    : `${(1 / perSecond).toFixed(2)}s/${unit}`;
}

/** `label:  75%|███████▌  | 3/4 [00:06<00:02,  2.10s/it]` with a bar of `width` cells. */
export function meterLine(
  label: string,
  done: number,
  total: number,
  elapsedS: number,
  width = 20,
  unit = "it",
): string {
  const fraction = total > 0 ? done / total : 0;
  const rate = elapsedS > 0 && done > 0 ? done / elapsedS : NaN;
  const remaining = Number.isFinite(rate) ? (total - done) / rate : NaN;
  const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${label}: ${pct}|${blockBar(fraction, width)}| ${done}/${total} [${
    formatClock(elapsedS)
  }<${formatClock(remaining)}, ${formatIterRate(rate, unit)}]`;
}

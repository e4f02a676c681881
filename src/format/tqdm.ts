/** tqdm as it reads in a captured log: a 10-cell bar, `[elapsed<remaining, rate]`, postfix. */
import { blockBar } from "./meter.ts";
import { formatClock } from "./units.ts";

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

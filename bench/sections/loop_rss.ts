/**
 * Memory of a long --loop at the largest scale: `--loop --speed 1e6 --nodes 16384 --format
 * jsonl > /dev/null` for some minutes, VmRSS read every few seconds; the median of each minute,
 * and the last minute's against the first.
 */
import { memoryMiB } from "../lib/proc.ts";
import { median, round, sleep } from "../lib/stats.ts";

/** RSS over the minutes of one long run. */
export interface LoopRssResult {
  flags: string;
  minutes: number;
  /** Median RSS of each minute, MiB. */
  perMinuteMiB: number[];
  peakRssMiB: number;
  /** Last minute's median over the first's: the budgeted figure. */
  growthPct: number;
  /** [wall s, RSS MiB] at each sample. */
  samples: Array<[number, number]>;
}

/** Wall seconds between samples. */
const EVERY_S = 5;

/** The medians of the samples of each minute (the first sample of a minute opens it). */
export function perMinute(samples: Array<[number, number]>, minutes: number): number[] {
  return Array.from({ length: minutes }, (_, m) => {
    const within = samples.filter(([s]) => s > m * 60 && s <= (m + 1) * 60).map(([, r]) => r);
    return within.length > 0 ? median(within) : NaN;
  });
}

/** Runs `fauxtrain` with the loop's flags for `minutes`, sampling its RSS. */
export async function loopRss(fauxtrain: string[], minutes: number): Promise<LoopRssResult> {
  const flags = "--loop --speed 1e6 --nodes 16384 --format jsonl";
  const child = new Deno.Command("deno", {
    args: [...fauxtrain, ...flags.split(" ")],
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const t0 = performance.now();
  const samples: Array<[number, number]> = [];
  let peak = 0;
  while (performance.now() - t0 < minutes * 60_000) {
    await sleep(EVERY_S * 1000);
    const m = await memoryMiB(child.pid);
    samples.push([round((performance.now() - t0) / 1000, 1), round(m.rssMiB, 1)]);
    peak = m.peakMiB;
  }
  child.kill("SIGTERM");
  await child.status;
  const mins = perMinute(samples, minutes);
  return {
    flags,
    minutes,
    perMinuteMiB: mins,
    peakRssMiB: round(peak, 1),
    growthPct: round((mins[minutes - 1] / mins[0] - 1) * 100, 1),
    samples,
  };
}

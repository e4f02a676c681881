/**
 * When a run's GPUs are read in line modes, and when its job script prints `nvidia-smi`: the
 * reading interval is a whole number of seconds a monitoring tool would be given (`-l 30`,
 * `-d 60`), and the script's own calls fall on it (`sleep 600; nvidia-smi` in the background).
 */
import { createRng } from "./rng.ts";
import type { RunConfig } from "./run_config.ts";
import { estimateTrainSeconds } from "./phases/train.ts";

/** Intervals, s, that people give a GPU monitor or a `sleep` in a job script. */
const ROUND_S = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800];
/** Start-up before the first step, s, as a plan's rough allowance (it is not known yet). */
const STARTUP_S = 60;

/**
 * Seconds between readings in line modes: about 40 a run (fewer on large clusters, so their
 * lines stay near 20,000), rounded up to an interval a monitoring tool would be given.
 */
export function reportIntervalS(cfg: RunConfig): number {
  const reports = Math.max(2, Math.min(40, Math.floor(20_000 / cfg.nodes)));
  const raw = Math.max(30, estimateTrainSeconds(cfg) / reports);
  return ROUND_S.find((s) => s >= raw) ?? ROUND_S[ROUND_S.length - 1];
}

/** The job script's `nvidia-smi` calls. */
export interface SmiPlan {
  /** It prints one before it launches training. */
  atLaunch: boolean;
  /** Seconds after the job's start of its later calls, ascending (none in most runs). */
  laterS: number[];
}

/**
 * Draws the job script's calls from the seed: about half the scripts print `nvidia-smi` before
 * launching; some check once a while into training, some every so often until the end.
 */
export function smiPlan(cfg: RunConfig): SmiPlan {
  const rng = createRng(cfg.seed, "nvidia-smi");
  const atLaunch = rng.chance(0.55);
  const every = reportIntervalS(cfg);
  const runS = STARTUP_S + estimateTrainSeconds(cfg);
  const kind = rng.next();
  if (kind < 0.55 || runS < 3 * every) return { atLaunch, laterS: [] };
  if (kind < 0.8) {
    // Once, a while into training: `sleep 600 && nvidia-smi` to see the load.
    const wait = ROUND_S.filter((s) => s >= Math.max(every, runS * 0.25) && s <= runS * 0.6);
    return { atLaunch, laterS: wait.length ? [rng.pick(wait.slice(0, 3))] : [] };
  }
  const period = ROUND_S.find((s) => s >= Math.max(2 * every, runS / 6));
  if (period === undefined) return { atLaunch, laterS: [] };
  const laterS: number[] = [];
  for (let at = period; at < runS * 1.2; at += period) laterS.push(at);
  return { atLaunch, laterS };
}

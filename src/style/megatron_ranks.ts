/**
 * Which Megatron rank prints what under torchrun's `--tee 3`: `print_rank_0` is global rank 0,
 * `print_rank_last` and the timers the last rank, and per-rank prints come from every rank with
 * data-parallel rank 0, each behind its own `[defaultN]:` prefix.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { hashUnit } from "../sim/rng.ts";
import { prefixLines, startupRanks, teePrefix } from "./ranks.ts";

/**
 * Whether the job starts torchrun with `--tee 3` (each worker's lines behind `[defaultN]:`);
 * the others let the workers write to the job's output as they are, without a prefix.
 */
export function megatronTees(cfg: RunConfig): boolean {
  return hashUnit(cfg.seed, 7321) < 0.55;
}

/** The prefix a worker's line carries in the job's output: `[default7]:` under `--tee`, or none. */
export function workerPrefix(cfg: RunConfig, rank: number): string {
  return megatronTees(cfg) ? teePrefix(cfg, rank) : "";
}

/** Megatron's global rank of a model-parallel coordinate (TP fastest, then DP, then PP). */
export function megatronRank(cfg: RunConfig, tp: number, dp: number, pp: number): number {
  return pp * cfg.plan.tp * cfg.plan.dp + dp * cfg.plan.tp + tp;
}

/** `print_rank_0`: rank 0's lines behind its prefix. */
export function rank0(cfg: RunConfig, lines: string | readonly string[]): string {
  return prefixLines(workerPrefix(cfg, 0), typeof lines === "string" ? lines : lines.join("\n"));
}

/** The last rank's prefix (it prints the iteration lines, the validation and the timers). */
export function lastRank(cfg: RunConfig): string {
  return workerPrefix(cfg, cfg.worldSize - 1);
}

/** `print_rank_last`: the last rank's lines behind its prefix. */
export function rankLast(cfg: RunConfig, lines: string | readonly string[]): string {
  return prefixLines(lastRank(cfg), typeof lines === "string" ? lines : lines.join("\n"));
}

/** The ranks with data-parallel rank 0: one per (tensor, pipeline) coordinate. */
export function modelParallelRanks(cfg: RunConfig): number[] {
  const out: number[] = [];
  for (let pp = 0; pp < cfg.plan.pp; pp++) {
    for (let tp = 0; tp < cfg.plan.tp; tp++) out.push(megatronRank(cfg, tp, 0, pp));
  }
  return out;
}

/** The ranks whose every-rank lines are shown: the GPUs of the first and the last node. */
export function shownRanks(cfg: RunConfig): number[] {
  return startupRanks(cfg);
}

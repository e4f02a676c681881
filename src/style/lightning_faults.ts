/**
 * A GPU lost mid-step, as the ranks of the first node print it under Lightning: the failing
 * rank's NCCL watchdog thread dies on the CUDA error, and after the collective timeout every
 * other rank's watchdog reports the stuck collective and takes its process down. These are
 * torch's own C++ lines (torch_cpp.ts, the run's torch release), written whole by each rank, so
 * the ranks' lines mix as concurrent writers mix them.
 */
import type { LogFacts } from "../sim/events.ts";
import type { Rng } from "../sim/rng.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { workerPid } from "../sim/names.ts";
import { interleave, rankClockMs } from "./ranks.ts";
import { watchdogCpp } from "./torch_cpp.ts";
import { cppLine, failingWatchdogCpp } from "./torch_faults.ts";

/** The failing rank's watchdog thread dying on the CUDA error (each line ends in a newline). */
export function failingRankLines(
  cfg: RunConfig,
  d: LogFacts["fault.cuda"],
  simMs: number,
  launch: number,
): string {
  const node = Math.floor(d.rank / cfg.gpusPerNode);
  const pid = d.pid ?? workerPid(cfg, node, d.rank % cfg.gpusPerNode, launch);
  const clock = rankClockMs(cfg, d.rank, simMs, 32, 5);
  return failingWatchdogCpp(cfg, d, pid, clock)
    .map((l) => `${cppLine(d.rank, l)}\n`).join("");
}

/**
 * Every surviving rank of the first node reporting the collective `stuck` (the fact of one of
 * them) with its own time over the timeout, lines mixed as concurrent writers mix them.
 */
export function survivorsText(
  cfg: RunConfig,
  ranks: number[],
  stuck: LogFacts["fault.watchdog"],
  simMs: number,
  rng: Rng,
  launch: number,
): string {
  const blocks = ranks.map((rank) => {
    const node = Math.floor(rank / cfg.gpusPerNode);
    const d = {
      ...stuck,
      rank,
      ran_ms: (stuck.timeout_ms ?? 600_000) + rng.int(0, 99),
      pid: workerPid(cfg, node, rank % cfg.gpusPerNode, launch),
    };
    const clock = rankClockMs(cfg, rank, simMs + rng.int(0, 40), 34, 3);
    return watchdogCpp(cfg, d, clock).map((l) => cppLine(rank, l));
  });
  return interleave(blocks, rng).map((line) => `${line}\n`).join("");
}

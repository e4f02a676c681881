/**
 * How the worker processes of a Megatron job end: Megatron never destroys its process groups,
 * so PyTorch 2.4 and later warn from the ranks' `ProcessGroupNCCL` destructors as they exit.
 */
import type { RunConfig } from "../sim/run_config.ts";
import type { Rng } from "../sim/rng.ts";
import { shownRanks, workerPrefix } from "./megatron_ranks.ts";
import { notDestroyedLine } from "./torch_faults.ts";
import { torchAtLeast } from "./torch_source.ts";

/** Whether every rank warns (2.6's destructor warns from each node's first rank only). */
function everyRank(cfg: RunConfig): boolean {
  return !cfg.cluster.torchVersion.startsWith("2.6");
}

/** Each exiting rank's destructor warning, ranks finishing a little apart; "" before 2.4. */
export function exitWarnings(cfg: RunConfig, simMs: number, rng: Rng): string {
  if (!torchAtLeast(cfg, 4)) return "";
  const ranks = shownRanks(cfg).filter((r) => everyRank(cfg) || r % cfg.gpusPerNode === 0);
  const exits = ranks.map((rank) => ({ rank, ms: simMs + rng.range(0, 1800) }));
  exits.sort((a, b) => a.ms - b.ms);
  return exits.map(({ rank, ms }) =>
    `${workerPrefix(cfg, rank)}${notDestroyedLine(cfg, rank, ms + rng.next())}`
  ).join("\n");
}

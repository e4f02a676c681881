/** Rare, harmless warnings a healthy multi-node run prints now and then. */
import type { Rng } from "../rng.ts";
import type { RunConfig } from "../run_config.ts";
import { hostName } from "../names.ts";
import type { TrainState } from "./train_state.ts";

/** One warning line for the current step, drawn from the kinds real runs show. */
export function warningLine(cfg: RunConfig, s: TrainState, rng: Rng): string {
  const rank = rng.int(0, cfg.worldSize - 1);
  const host = hostName(cfg.cluster, Math.floor(rank / cfg.gpusPerNode));
  const kinds = [
    () =>
      `[rank${rank}] DataLoader worker (pid ${cfg.cluster.pids + rng.int(100, 9000)}) took ` +
      `${rng.range(4, 12).toFixed(1)} s to return batch ${s.step * cfg.gradAccum}; ` +
      `consider increasing num_workers`,
    () =>
      `Token indices sequence length is longer than the specified maximum sequence length for ` +
      `this model (${cfg.seqLen + rng.int(1, 4000)} > ${cfg.seqLen}); the sample was truncated`,
    () =>
      `${host}: slow read from ${cfg.dataset.path}: ${rng.range(0.4, 1.2).toFixed(2)} GB/s ` +
      `for ${rng.range(2, 9).toFixed(1)} s (expected > 2 GB/s)`,
    () =>
      `[rank${rank}] torch.utils.checkpoint: the use_reentrant parameter should be passed ` +
      `explicitly; defaulting to use_reentrant=True`,
  ];
  return rng.pick(kinds)();
}

/** Rare, harmless warnings a healthy multi-node run prints now and then. */
import type { WarningFact } from "../facts.ts";
import type { Rng } from "../rng.ts";
import type { RunConfig } from "../run_config.ts";
import type { TrainState } from "./train_state.ts";

/** One warning for the current step, drawn from the kinds real runs show. */
export function warningFact(cfg: RunConfig, s: TrainState, rng: Rng): WarningFact {
  const rank = rng.int(0, cfg.worldSize - 1);
  const kinds: (() => WarningFact)[] = [
    () => ({
      kind: "dataloader",
      rank,
      pid: cfg.cluster.pids + rng.int(100, 9000),
      seconds: rng.range(4, 12),
      batch: s.step * cfg.gradAccum,
    }),
    () => ({ kind: "truncated", length: cfg.seqLen + rng.int(1, 4000) }),
    () => ({
      kind: "slow_read",
      node: Math.floor(rank / cfg.gpusPerNode),
      gbps: rng.range(0.4, 1.2),
      seconds: rng.range(2, 9),
    }),
    () => ({ kind: "reentrant", rank }),
  ];
  return rng.pick(kinds)();
}

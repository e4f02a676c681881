/**
 * The collective a hung job's surviving ranks wait in: which NCCL operation, how many elements,
 * and its sequence number in the process group, from the parallel plan and the step it hung in.
 */
import type { RunConfig } from "../run_config.ts";

/** What an NCCL watchdog reports about the collective that never completed. */
export interface StuckCollective {
  /** torch's OpType: ALLREDUCE, _ALLGATHER_BASE, _REDUCE_SCATTER_BASE. */
  op: string;
  numelIn: number;
  numelOut: number;
  /** Sequence number of the stuck work in its process group (counted from the launch). */
  seq: number;
  /** Works the CPU had enqueued by then (it runs a few ahead of the GPU). */
  lastEnqueued: number;
  /** Process group id: 0 is the default group. */
  pg: number;
}

/** Collectives one optimizer step issues in the group that carries the gradients. */
function perStep(cfg: RunConfig, gradAccum: number): number {
  const layers = Math.ceil(cfg.model.layers / cfg.plan.pp);
  switch (cfg.plan.strategy) {
    case "fsdp":
    case "zero3":
      // A layer's weights are gathered for forward and backward, its gradients scattered.
      return 3 * layers * gradAccum + 2;
    case "ddp":
      return Math.max(1, Math.ceil(cfg.model.params / cfg.plan.tp / 6.5e6)) + 1;
    default:
      return 2 * layers + 2;
  }
}

/**
 * The collective the survivors hang in: `fraction` of the way through step `step`, the launch
 * having started after step `launchStep` (the sequence numbers restart with each launch).
 */
export function stuckCollective(
  cfg: RunConfig,
  step: number,
  fraction: number,
  launchStep: number,
  gradAccum: number,
  ahead: number,
): StuckCollective {
  const per = perStep(cfg, gradAccum);
  // A couple of set-up collectives (barrier, broadcast of the initial state) come first.
  const seq = 3 + (step - 1 - launchStep) * per + Math.floor(fraction * per);
  const layerParams = cfg.model.params / cfg.model.layers / (cfg.plan.tp * cfg.plan.pp);
  const dp = Math.max(1, cfg.plan.dp);
  let op = "ALLREDUCE", numelIn: number, numelOut: number, pg = 0;
  switch (cfg.plan.strategy) {
    case "fsdp":
    case "zero3": {
      const shard = Math.ceil(layerParams / dp);
      op = fraction > 0.55 ? "_REDUCE_SCATTER_BASE" : "_ALLGATHER_BASE";
      [numelIn, numelOut] = op === "_ALLGATHER_BASE" ? [shard, shard * dp] : [shard * dp, shard];
      pg = cfg.plan.strategy === "fsdp" ? 1 : 0;
      break;
    }
    case "ddp":
      numelIn = numelOut = Math.min(Math.round(cfg.model.params / cfg.plan.tp), 6553600 * 2);
      break;
    case "megatron": {
      const shard = Math.ceil((layerParams * 2) / dp);
      op = "_REDUCE_SCATTER_BASE";
      [numelIn, numelOut] = [shard * dp, shard];
      pg = 2 + 2 * Math.min(cfg.plan.tp, 4);
      break;
    }
    default:
      numelIn = numelOut = Math.round(Math.min(5e8, layerParams * 4));
  }
  return { op, numelIn, numelOut, seq, lastEnqueued: seq + ahead, pg };
}

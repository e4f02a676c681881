/**
 * The collective a hung job's surviving ranks wait in: which NCCL operation, how many elements,
 * and its sequence number in the process group, from the parallel plan and the step it hung in.
 */
import type { RunConfig } from "../run_config.ts";
import type { StrikeSite } from "../facts.ts";
import type { JobFailure } from "../fault_plan.ts";

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
 * How far through a step's collectives the survivors are when the failing rank stops at
 * `site`: a rank lost to its data loader never joins the step's first collective; one lost in
 * the optimizer step leaves them in the gradient reduction's last buckets.
 */
function siteFraction(site: StrikeSite, fraction: number): number {
  switch (site) {
    case "data":
      return 0.01 * fraction;
    case "forward":
      return 0.45 * fraction;
    case "backward":
      return 0.45 + 0.5 * fraction;
    default:
      return 0.96 + 0.03 * fraction;
  }
}

/**
 * The collective the survivors hang in: where failure `f` stopped its rank in step `f.step`,
 * the launch having started after step `launchStep` (the sequence numbers restart with each
 * launch). After the step's last reduction they wait in a small all-reduce: the logged loss's
 * average, or the barrier (one element) around a checkpoint save.
 */
export function stuckCollective(
  cfg: RunConfig,
  f: JobFailure,
  launchStep: number,
  gradAccum: number,
  ahead: number,
): StuckCollective {
  const per = perStep(cfg, gradAccum), fraction = siteFraction(f.site, f.stepFraction);
  // A couple of set-up collectives (barrier, broadcast of the initial state) come first.
  const seq = 3 + (f.step - 1 - launchStep) * per + Math.floor(fraction * per);
  if (f.site === "save" || f.site === "sync") {
    const numel = f.site === "save" ? 1 : 2;
    const end = 3 + (f.step - launchStep) * per;
    return { op: "ALLREDUCE", numelIn: numel, numelOut: numel, seq: end, lastEnqueued: end, pg: 0 };
  }
  return { ...bigCollective(cfg, fraction), seq, lastEnqueued: seq + ahead };
}

/** The op, sizes and group of the step's collective `fraction` of the way through it. */
function bigCollective(
  cfg: RunConfig,
  fraction: number,
): Omit<StuckCollective, "seq" | "lastEnqueued"> {
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
    case "ddp": {
      // DDP's buckets: 25 MiB each, the last (first registered) one smaller.
      const bucket = 6553600, total = Math.round(cfg.model.params / cfg.plan.tp);
      numelIn = numelOut = fraction > 0.9
        ? Math.max(1, total % bucket) || bucket
        : Math.min(total, bucket);
      break;
    }
    case "megatron": {
      const shard = Math.ceil((layerParams * 2) / dp);
      // Megatron's distributed optimizer gathers the updated params after its step.
      op = fraction > 0.95 ? "_ALLGATHER_BASE" : "_REDUCE_SCATTER_BASE";
      [numelIn, numelOut] = op === "_ALLGATHER_BASE" ? [shard, shard * dp] : [shard * dp, shard];
      pg = 2 + 2 * Math.min(cfg.plan.tp, 4);
      break;
    }
    default:
      numelIn = numelOut = Math.round(Math.min(5e8, layerParams * 4));
  }
  return { op, numelIn, numelOut, pg };
}

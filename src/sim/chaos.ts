/**
 * The faults of one run, drawn once from the seed's "chaos" stream: what goes wrong, at which
 * step and on which rank. Rates scale with the run's length and the cluster's size (Llama 3
 * 405B saw about one hardware interruption every three hours on 16,384 GPUs); `off` draws
 * nothing.
 */
import { createRng, type Rng } from "./rng.ts";
import {
  createPlacer,
  CUDA_SITES,
  drawCrash,
  drawJobFailure,
  OOM_SITES,
  type Placer,
} from "./failure_draw.ts";
import type { RunConfig } from "./run_config.ts";
import { steadyStepSeconds } from "./phases/train_state.ts";
import type { FaultKind } from "./events.ts";
import type {
  ChaosPlan,
  GpuFault,
  PlannedFault,
  SpikeFault,
  StragglerFault,
} from "./fault_plan.ts";
import { SPIKE_HEAL_UNITS, SPIKE_LAG_UNITS } from "./disturbance.ts";

/**
 * Warning and error events each kind brings, for the `low` budget: a job failure brings the
 * failing rank's error, the launchers' reports and the surviving ranks' watchdogs.
 */
const LINE_COST: Record<FaultKind, number> = {
  gpu_fault: 24,
  oom: 24,
  crash: 24,
  straggler: 1,
  loss_spike: 1,
  fp16_overflow: 1,
  nan: 1,
};
/** Under `low`, faults may add warning lines up to this share of the logged steps. */
const LOW_LINE_SHARE = 0.02;
const STRAGGLER_CAUSES = [
  "HW slowdown: power brake asserted",
  "thermal slowdown at 88C",
  "SM clocks stuck at 1035 MHz",
];

/** Expected faults of each kind under `low`, from the run's length and size. */
export function expectedFaults(cfg: RunConfig): Record<FaultKind, number> {
  const steps = cfg.totalSteps - cfg.resumeStep;
  const hours = (steps * steadyStepSeconds(cfg)) / 3600;
  // A run fitted to a few minutes cannot hold a ten-minute watchdog timeout and a relaunch,
  // unless the user asks for every kind of fault.
  const restarts = cfg.scenario === null || cfg.chaos === "high";
  return {
    gpu_fault: restarts ? Math.min(1.5, 0.03 + 9e-6 * hours * cfg.worldSize) : 0,
    straggler: Math.min(0.8, 0.08 + 4e-5 * hours * cfg.nodes),
    loss_spike: cfg.task === "pretrain" ? Math.min(0.8, 0.15 + steps / 60000) : 0.06,
    fp16_overflow: cfg.precision === "fp16" ? 0.4 : 0,
    nan: 0.06,
    oom: restarts && cfg.plan.microBatch >= 2 && cfg.pacing.midRunOom ? 0.05 : 0,
    // Full disks, /dev/shm, the host's OOM killer, segfaults: about as common as lost GPUs.
    crash: restarts && cfg.pacing.crashes.length > 0
      ? Math.min(1.2, 0.03 + 7e-6 * hours * cfg.worldSize)
      : 0,
  };
}

/** Draws the run's faults; `off` returns none without drawing. */
export function drawChaosPlan(cfg: RunConfig): ChaosPlan {
  if (cfg.chaos === "off") return { level: "off", faults: [] };
  const rng = createRng(cfg.seed, "chaos");
  const rates = expectedFaults(cfg);
  const high = cfg.chaos === "high";
  const count = (kind: FaultKind) => {
    if (rates[kind] === 0) return 0;
    const n = high ? Math.min(3, 1 + poisson(rng, 2 * rates[kind])) : poisson(rng, rates[kind]);
    // Each out-of-memory halves the micro batch (down to 1), and a job dies at most twice.
    const most = kind === "oom" ? Math.floor(Math.log2(cfg.plan.microBatch)) : Infinity;
    const kills = kind === "oom" || kind === "gpu_fault" || kind === "crash";
    return Math.min(n, most, kills ? 2 : Infinity);
  };
  const remaining = cfg.totalSteps - cfg.resumeStep;
  const placer = createPlacer(cfg, rng);
  let budget = high ? Infinity : LOW_LINE_SHARE * (remaining / cfg.logInterval + 100);
  const faults: PlannedFault[] = [];
  const order: FaultKind[] = [
    "gpu_fault",
    "straggler",
    "loss_spike",
    "oom",
    "fp16_overflow",
    "nan",
    // Last, so that its draws shift none of the kinds before it.
    "crash",
  ];
  // Under `high` a run has few checkpoint windows for a job to die in: the seed decides which
  // killer gets the first (from its own stream, so the other draws stay put).
  if (high && createRng(cfg.seed, "chaos:killers").chance(0.45)) {
    order.splice(order.indexOf("crash"), 1);
    order.unshift("crash");
  }
  for (const kind of order) {
    // `high` shows both endings of a loss spike: ridden out, then a skipped batch.
    const n = high && kind === "loss_spike" ? Math.max(2, count(kind)) : count(kind);
    for (let i = 0; i < n; i++) {
      if (LINE_COST[kind] > budget) break;
      const skip = high && i < 2 ? i === 1 : rng.chance(0.35);
      const f = drawFault(kind, cfg, rng, placer, skip);
      if (!f) continue;
      faults.push(f);
      budget -= LINE_COST[kind];
    }
  }
  faults.sort((a, b) => a.step - b.step);
  return { level: cfg.chaos, faults };
}

/** Knuth's Poisson sampler (fine for the small means used here). */
export function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0, p = rng.next();
  while (p > limit) (k += 1), (p *= rng.next());
  return k;
}

function drawFault(
  kind: FaultKind,
  cfg: RunConfig,
  rng: Rng,
  placer: Placer,
  skip: boolean,
): PlannedFault | null {
  const rank = rng.int(0, cfg.worldSize - 1);
  switch (kind) {
    case "gpu_fault":
      return drawGpuFault(cfg, rng, placer, rank);
    case "straggler":
      return drawStraggler(cfg, rng, placer, rank);
    case "loss_spike":
      return drawSpike(cfg, rng, placer, skip);
    case "crash":
      return drawCrash(cfg, rng, placer, rank);
    case "oom": {
      const at = drawJobFailure(cfg, rng, placer, rank, OOM_SITES);
      if (!at) return null;
      const requestGiB = rng.range(0.5, 6);
      return {
        kind,
        ...at,
        // A human reads the traceback and resubmits with a smaller micro batch.
        requeueS: rng.range(600, 3000),
        requestGiB,
        freeGiB: requestGiB * rng.range(0.05, 0.8),
        slowdown: rng.range(0.03, 0.08),
      };
    }
    default: {
      const step = placer.place(0);
      return step === null ? null : { kind, step, rank };
    }
  }
}

/** Xid codes an NVIDIA GPU reports for a fault that kills a job, with what CUDA then returns. */
const GPU_FAULTS: Array<{ xid: number; ecc: boolean; error: GpuFault["error"] }> = [
  { xid: 79, ecc: false, error: "unknown" },
  { xid: 79, ecc: false, error: "launch_failure" },
  { xid: 94, ecc: true, error: "ecc_uncorrectable" },
  { xid: 95, ecc: true, error: "ecc_uncorrectable" },
  { xid: 13, ecc: false, error: "illegal_address" },
];

/** A failed InfiniBand link: no Xid, NCCL's completion error, the watchdog's abort. */
const NET_FAULT = { xid: 0, ecc: false, error: "net_ib" as const };

function drawGpuFault(cfg: RunConfig, rng: Rng, placer: Placer, rank: number): GpuFault | null {
  const at = drawJobFailure(cfg, rng, placer, rank, CUDA_SITES);
  if (!at) return null;
  // A multi-node job on InfiniBand (or RoCE) loses a link about as often as a GPU.
  const ib = cfg.nodes > 1 && ["ib", "roce"].includes(cfg.cluster.platform.net);
  const kind = ib && rng.chance(0.45) ? NET_FAULT : rng.pick(GPU_FAULTS);
  // Volta reports a double-bit ECC error as Xid 48.
  const xid = kind.ecc && cfg.gpu.id === "v100" ? 48 : kind.xid;
  return { kind: "gpu_fault", ...at, ecc: kind.ecc, xid, error: kind.error };
}

function drawStraggler(
  cfg: RunConfig,
  rng: Rng,
  placer: Placer,
  rank: number,
): StragglerFault | null {
  const remaining = cfg.totalSteps - cfg.resumeStep;
  const length = Math.max(3 * cfg.logInterval, Math.round(remaining * rng.range(0.02, 0.08)));
  const sinceStep = placer.place(length);
  if (sinceStep === null) return null;
  return {
    kind: "straggler",
    step: sinceStep + length,
    sinceStep,
    rank,
    slowdown: rng.range(0.02, 0.08),
    cause: rng.pick(STRAGGLER_CAUSES),
  };
}

function drawSpike(cfg: RunConfig, rng: Rng, placer: Placer, skip: boolean): SpikeFault | null {
  const u = cfg.logInterval;
  const pretrain = cfg.task === "pretrain";
  const gradPeak = Math.exp(
    pretrain ? rng.range(Math.log(40), Math.log(1500)) : rng.range(2.5, 4.4),
  );
  const lossAmp = pretrain ? rng.range(0.15, 1.3) : rng.range(0.1, 0.6);
  const healUnits = Math.ceil(SPIKE_LAG_UNITS + 3 + SPIKE_HEAL_UNITS * Math.log(lossAmp / 0.03));
  // The tail runs on until the excess is a small fraction of a percent.
  const tailUnits = Math.ceil(SPIKE_HEAL_UNITS * Math.log(10));
  const length = skip ? 2 * u : (healUnits + tailUnits) * u;
  const found = placer.place(length + u);
  if (found === null) return null;
  // Start on a logged step so the climb shows line by line.
  const startStep = Math.ceil(found / u) * u;
  return {
    kind: "loss_spike",
    step: startStep + (skip ? 2 : SPIKE_LAG_UNITS + 3) * u,
    startStep,
    unitSteps: u,
    skip,
    gradPeak,
    lossAmp,
    recoveredStep: startStep + healUnits * u,
    endStep: startStep + length,
  };
}

/**
 * A GPU lost in the middle of a step and the whole way back: the kernel's Xid line, the NCCL
 * watchdog timing out on the other ranks, the elastic agent restarting the worker group, the
 * node swapped for a spare, the checkpoint reloaded and the step counter rolled back.
 */
import type { SimEvent } from "../events.ts";
import type { GpuFault } from "../fault_plan.ts";
import type { RunConfig } from "../run_config.ts";
import { advance, logLine, progress, type Timeline } from "../timeline.ts";
import { rollBack, steadyStepSeconds, type TrainState } from "./train_state.ts";
import { faultEvent, rankPlace } from "./faults.ts";

/** PyTorch 2.x's default NCCL collective timeout, seconds. */
export const WATCHDOG_S = 600;
/** torchrun's default --max-restarts in the launch line. */
export const MAX_RESTARTS = 3;

/** The checkpoint a restart reads back: size, shard count and read seconds. */
export interface CheckpointRead {
  bytes: number;
  shards: number;
  seconds: number;
}

/** Short cause of the fault, by vendor and kind. */
export function gpuFaultCause(cfg: RunConfig, ecc: boolean): string {
  if (cfg.gpu.vendor === "amd") {
    return ecc ? "uncorrectable ECC error in HBM" : "GPU lost from the PCIe bus";
  }
  if (!ecc) return "Xid 79: GPU has fallen off the bus";
  return cfg.gpu.id === "v100" ? "Xid 48: double-bit ECC error" : "Xid 95: uncontained ECC error";
}

/** The watchdog lines of two surviving ranks, then how many more said the same. */
function watchdogLines(t: Timeline, f: GpuFault): SimEvent[] {
  const cfg = t.cfg;
  const local = cfg.model.params / (cfg.plan.tp * cfg.plan.pp);
  const buckets = Math.min(64, Math.max(1, Math.ceil(local / 1e8)));
  const numel = Math.round(local / buckets);
  const seq = (f.step - 1) * buckets + Math.ceil(buckets * f.stepFraction);
  const ranks = [0, f.rank ^ 1, cfg.worldSize - 1]
    .filter((r, i, all) => r !== f.rank && r < cfg.worldSize && all.indexOf(r) === i)
    .slice(0, 2);
  const out: SimEvent[] = ranks.map((rank) =>
    logLine(t, "fault.watchdog", {
      rank,
      seq,
      numel,
      ran_ms: WATCHDOG_S * 1000 + 11 + (rank % 40),
      more: 0,
    }, "error")
  );
  const more = cfg.worldSize - 1 - ranks.length;
  if (more > 0) {
    out.push(logLine(t, "fault.watchdog", { rank: -1, seq, numel, ran_ms: 0, more }, "error"));
  }
  return out;
}

/** Plays a GPU fault from the failing step to the resumed step counter. */
export function* gpuOutage(
  t: Timeline,
  s: TrainState,
  f: GpuFault,
  restart: number,
  ckpt: CheckpointRead,
): Generator<SimEvent> {
  const cfg = t.cfg;
  const where = rankPlace(cfg, f.rank);
  const epoch = Math.floor(s.step / cfg.stepsPerEpoch) + 1;
  yield* advance(t, f.stepFraction * steadyStepSeconds(cfg) * 1000, "train");
  const faultMs = t.simMs;
  const lostSteps = f.step - 1 - s.lastCkpt.step;
  t.downNodes = [where.node!];
  yield logLine(t, "fault.kernel", { rank: f.rank, ecc: f.ecc }, "error");
  yield logLine(t, "fault.cuda", { rank: f.rank, ecc: f.ecc }, "error");
  yield faultEvent(t, s, "error", {
    kind: "gpu_fault",
    step: f.step,
    ...where,
    recovery: "restart_from_checkpoint",
    cause: gpuFaultCause(cfg, f.ecc),
    resume_step: s.lastCkpt.step,
    lost_steps: lostSteps,
    downtime_s: WATCHDOG_S + f.drainS + f.rendezvousS + f.ncclS + ckpt.seconds,
    restart,
  });
  yield* advance(t, WATCHDOG_S * 1000, "hang");
  yield* watchdogLines(t, f);
  const attempts = { restart, attempts_left: MAX_RESTARTS - restart + 1 };
  yield logLine(t, "fault.elastic", { action: "failed", ...attempts }, "warn");
  yield logLine(t, "fault.elastic", { action: "stopping", ...attempts });
  yield { type: "phase", simMs: t.simMs, phase: "init", epoch };
  // The agents have stopped their workers: no process holds a GPU until the restart.
  yield* advance(t, f.drainS * 1000, "empty");
  yield logLine(t, "fault.node", { rank: f.rank, ecc: f.ecc }, "warn");
  t.downNodes = [];
  yield { type: "phase", simMs: t.simMs, phase: "train", epoch };
  yield* restartWorkers(t, f, restart);
  yield* reload(t, s, ckpt);
  yield logLine(t, "fault.resume", {
    step: s.lastCkpt.step,
    from_step: f.step - 1,
    lost_steps: lostSteps,
    lost_s: (faultMs - s.lastCkpt.simMs) / 1000,
    recovery_s: (t.simMs - faultMs) / 1000,
    restart,
  }, "warn");
  rollBack(s);
}

function* restartWorkers(t: Timeline, f: GpuFault, restart: number): Generator<SimEvent> {
  const attempts = { restart, attempts_left: MAX_RESTARTS - restart + 1 };
  yield logLine(t, "fault.elastic", { action: "rendezvous", ...attempts });
  yield* advance(t, f.rendezvousS * 1000, "empty");
  yield logLine(t, "fault.elastic", { action: "rendezvous_done", ...attempts });
  yield logLine(t, "fault.elastic", { action: "starting", ...attempts });
  yield* advance(t, f.ncclS * 1000, "load", 0.1);
  yield logLine(t, "fault.nccl", {});
}

function* reload(t: Timeline, s: TrainState, ckpt: CheckpointRead): Generator<SimEvent> {
  yield logLine(t, "fault.load", { step: s.lastCkpt.step, bytes: ckpt.bytes });
  yield* readCheckpoint(t, ckpt);
}

/** The progress bar of reading a checkpoint's shards back. */
export function* readCheckpoint(t: Timeline, ckpt: CheckpointRead): Generator<SimEvent> {
  const ms = ckpt.seconds * 1000;
  yield* progress(t, "load", "Loading checkpoint shards", ckpt.shards, "shard", ms, "load", 8);
}

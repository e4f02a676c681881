/**
 * A GPU lost in the middle of a step and the whole way back: the kernel's Xid line, the NCCL
 * watchdog timing out on the other ranks, the elastic agent restarting the worker group, the
 * node swapped for a spare, the checkpoint reloaded and the step counter rolled back.
 */
import type { SimEvent } from "../events.ts";
import type { GpuFault } from "../fault_plan.ts";
import type { RunConfig } from "../run_config.ts";
import { advance, logLine, progress, type Timeline } from "../timeline.ts";
import { formatBytes, formatDuration } from "../../format/units.ts";
import { rollBack, steadyStepSeconds, type TrainState } from "./train_state.ts";
import { faultEvent, rankPlace } from "./faults.ts";

/** PyTorch 2.x's default NCCL collective timeout, seconds. */
export const WATCHDOG_S = 600;
/** torchrun's default --max-restarts in the launch line. */
const MAX_RESTARTS = 3;
/** PCI bus numbers of the eight GPUs of an HGX baseboard. */
const PCI_BUS = ["18", "2a", "3a", "5d", "9a", "ab", "ba", "db"];

/** The checkpoint a restart reads back: size, shard count and read seconds. */
export interface CheckpointRead {
  bytes: number;
  shards: number;
  seconds: number;
}

/** Short cause of the fault, by vendor and kind. */
export function gpuFaultCause(cfg: RunConfig, f: GpuFault): string {
  if (cfg.gpu.vendor === "amd") {
    return f.ecc ? "uncorrectable ECC error in HBM" : "GPU lost from the PCIe bus";
  }
  if (!f.ecc) return "Xid 79: GPU has fallen off the bus";
  return cfg.gpu.id === "v100" ? "Xid 48: double-bit ECC error" : "Xid 95: uncontained ECC error";
}

function kernelLine(cfg: RunConfig, f: GpuFault): string {
  const where = rankPlace(cfg, f.rank);
  const bus = PCI_BUS[where.gpu! % PCI_BUS.length];
  const pid = cfg.cluster.pids + where.node! * 97 + where.gpu!;
  if (cfg.gpu.vendor === "amd") {
    return `${where.host}: amdgpu 0000:${bus}:00.0: amdgpu: ` +
      (f.ecc ? "uncorrectable HBM ECC error, GPU reset required" : "device lost from the bus");
  }
  const [xid, text] = gpuFaultCause(cfg, f).split(": ");
  return `${where.host}: NVRM: Xid (PCI:0000:${bus}:00): ${xid.slice(4)}, pid=${pid}, ` +
    `name=python3, ${text}.`;
}

/** glog's `E1124 10:15:02.123456` time for a simulated instant. */
function glogTime(simMs: number, rank: number): string {
  const iso = new Date(simMs).toISOString();
  const micros = String((Math.floor(simMs) % 1000) * 1000 + ((rank * 7919) % 1000)).padStart(
    6,
    "0",
  );
  return `E${iso.slice(5, 7)}${iso.slice(8, 10)} ${iso.slice(11, 19)}.${micros}`;
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
  const out: SimEvent[] = ranks.map((r) =>
    logLine(
      t,
      "fault.watchdog",
      `[rank${r}]:[${glogTime(t.simMs, r)} ProcessGroupNCCL.cpp:632] [Rank ${r}] Watchdog ` +
        `caught collective operation timeout: WorkNCCL(SeqNum=${seq}, OpType=ALLREDUCE, ` +
        `NumelIn=${numel}, NumelOut=${numel}, Timeout(ms)=${WATCHDOG_S * 1000}) ran for ` +
        `${WATCHDOG_S * 1000 + 11 + (r % 40)} milliseconds before timing out.`,
      "error",
    )
  );
  const more = cfg.worldSize - 1 - ranks.length;
  if (more > 0) {
    out.push(
      logLine(t, "fault.watchdog", `... and ${more} more ranks timed out the same way`, "error"),
    );
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
  yield logLine(t, "fault.kernel", kernelLine(cfg, f), "error");
  yield logLine(
    t,
    "fault.cuda",
    `[rank${f.rank}]: RuntimeError: ${cfg.gpu.vendor === "amd" ? "HIP" : "CUDA"} error: ` +
      (f.ecc ? "uncorrectable ECC error encountered" : "unspecified launch failure"),
    "error",
  );
  yield faultEvent(t, s, "error", {
    kind: "gpu_fault",
    step: f.step,
    ...where,
    recovery: "restart_from_checkpoint",
    cause: gpuFaultCause(cfg, f),
    resume_step: s.lastCkpt.step,
    lost_steps: lostSteps,
    downtime_s: WATCHDOG_S + f.drainS + f.rendezvousS + f.ncclS + ckpt.seconds,
    restart,
  });
  yield* advance(t, WATCHDOG_S * 1000, "hang");
  yield* watchdogLines(t, f);
  yield logLine(
    t,
    "fault.elastic",
    `torch.distributed.elastic.agent.server.api: [default] Worker group FAILED. ` +
      `${MAX_RESTARTS - restart + 1}/${MAX_RESTARTS} attempts left; will restart worker group`,
    "warn",
  );
  yield logLine(t, "fault.elastic", "[default] Stopping worker group");
  yield { type: "phase", simMs: t.simMs, phase: "init", epoch };
  yield* advance(t, f.drainS * 1000, "idle");
  yield logLine(
    t,
    "fault.node",
    `Slurm: node ${where.host} drained (${gpuFaultCause(cfg, f)} on GPU ${where.gpu}); a spare ` +
      `node from the pool takes its place in job ${cfg.cluster.jobId}`,
    "warn",
  );
  t.downNodes = [];
  yield { type: "phase", simMs: t.simMs, phase: "train", epoch };
  yield* restartWorkers(t, f, restart);
  yield* reload(t, s, ckpt);
  yield logLine(
    t,
    "fault.resume",
    `Resuming from step ${s.lastCkpt.step} after restart ${restart}: step counter rolled back ` +
      `from ${f.step - 1}, ${lostSteps} steps to redo; lost ${
        formatDuration((faultMs - s.lastCkpt.simMs) / 1000)
      } of training and ${formatDuration((t.simMs - faultMs) / 1000)} of recovery`,
    "warn",
  );
  rollBack(s);
}

function* restartWorkers(t: Timeline, f: GpuFault, restart: number): Generator<SimEvent> {
  const cfg = t.cfg;
  yield logLine(t, "fault.elastic", "[default] Rendezvous'ing worker group");
  yield* advance(t, f.rendezvousS * 1000, "idle");
  yield logLine(
    t,
    "fault.elastic",
    `[default] Rendezvous complete for workers: restart_count=${restart}, ` +
      `master_addr=${cfg.cluster.masterAddr}, master_port=${cfg.cluster.masterPort}, ` +
      `group_world_size=${cfg.nodes}`,
  );
  yield logLine(t, "fault.elastic", "[default] Starting worker group");
  yield* advance(t, f.ncclS * 1000, "load", 0.1);
  yield logLine(
    t,
    "fault.nccl",
    `${cfg.gpu.vendor === "amd" ? "RCCL" : "NCCL"} communicators rebuilt: ${cfg.worldSize} ` +
      `ranks on ${cfg.nodes} node${cfg.nodes > 1 ? "s" : ""}`,
  );
}

function* reload(t: Timeline, s: TrainState, ckpt: CheckpointRead): Generator<SimEvent> {
  const dir = `${t.cfg.outputDir}/checkpoint-${s.lastCkpt.step}`;
  yield logLine(t, "fault.load", `Loading checkpoint ${dir} (${formatBytes(ckpt.bytes)})`);
  yield* readCheckpoint(t, ckpt);
}

/** The progress bar of reading a checkpoint's shards back. */
export function* readCheckpoint(t: Timeline, ckpt: CheckpointRead): Generator<SimEvent> {
  const ms = ckpt.seconds * 1000;
  yield* progress(t, "load", "Loading checkpoint shards", ckpt.shards, "shard", ms, "load", 8);
}

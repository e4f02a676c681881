/**
 * The first moments of a job-killing fault on the failing rank: a GPU's Xid and the CUDA error
 * its process raises, or a CUDA out-of-memory with the caching allocator's numbers.
 */
import type { FaultData, SimEvent } from "../events.ts";
import type { CrashFault, JobKiller } from "../fault_plan.ts";
import type { RunConfig } from "../run_config.ts";
import { workerPid } from "../names.ts";
import { torchCapacityGiB } from "../gpu_memory.ts";
import { advance, logLine, progress, type Timeline } from "../timeline.ts";
import { hashUnit } from "../rng.ts";
import { checkpointPlan } from "./train.ts";

/** PyTorch 2.x's default NCCL collective timeout, seconds. */
export const WATCHDOG_S = 600;
/** torchrun's --max-restarts in fauxtrain's own (native) wording of an elastic restart. */
export const MAX_RESTARTS = 3;

/** The checkpoint a restart reads back: size, shard count and read seconds. */
export interface CheckpointRead {
  bytes: number;
  shards: number;
  seconds: number;
}

/** Short cause of a GPU fault, by vendor and kind. */
export function gpuFaultCause(cfg: RunConfig, ecc: boolean, xid?: number): string {
  if (cfg.gpu.vendor === "amd") {
    return ecc ? "uncorrectable ECC error in HBM" : "GPU lost from the PCIe bus";
  }
  const code = xid ?? (ecc ? (cfg.gpu.id === "v100" ? 48 : 95) : 79);
  switch (code) {
    case 0:
      return "InfiniBand link down (NCCL remote error)";
    case 79:
      return "Xid 79: GPU has fallen off the bus";
    case 48:
      return "Xid 48: double-bit ECC error";
    case 13:
      return "Xid 13: graphics engine exception";
    default:
      return `Xid ${code}: uncontained ECC error`;
  }
}

/** Pid of a global rank's worker in launch `launch`. */
export function rankPid(cfg: RunConfig, rank: number, launch: number): number {
  const g = cfg.gpusPerNode;
  return workerPid(cfg, Math.floor(rank / g), rank % g, launch);
}

/** Exit code of the failing worker as its launcher sees it (negative: the signal that killed it). */
export function exitCode(f: JobKiller): number {
  if (f.kind === "gpu_fault") return -6;
  if (f.kind === "oom") return 1;
  return f.crash === "host_oom" ? -9 : f.crash === "segfault" ? -11 : 1;
}

/** Short cause of a crash outside CUDA. */
export function crashCause(f: CrashFault): string {
  switch (f.crash) {
    case "loader_bus":
      return "DataLoader worker killed by SIGBUS (/dev/shm full)";
    case "loader_killed":
      return "DataLoader worker killed by the OOM killer";
    case "host_oom":
      return "worker killed by the host's OOM killer (SIGKILL)";
    case "disk_full":
      return f.errno === "EDQUOT"
        ? "checkpoint save: disk quota exceeded"
        : "checkpoint save: no space left on device";
    case "segfault":
      return "segmentation fault (SIGSEGV)";
  }
}

/** The crash's facts: the loader worker it lost, or how far the failed save had written. */
function crashFacts(t: Timeline, f: CrashFault, pid: number) {
  const u = (k: number) => hashUnit(t.cfg.seed, f.step, f.rank, k);
  const base = { rank: f.rank, crash: f.crash, step: f.step, pid, site: f.site };
  if (f.crash === "loader_bus" || f.crash === "loader_killed") {
    return { ...base, worker_pid: pid + 40 + Math.floor(u(1) * 900) };
  }
  if (f.crash !== "disk_full") return base;
  // Each rank writes its share; the writer got part way through one of its storages.
  const share = checkpointPlan(t.cfg).bytes / Math.max(1, t.cfg.plan.dp);
  const expected = Math.floor(share * (0.05 + 0.9 * u(2)) / 64) * 64;
  return {
    ...base,
    errno: f.errno,
    record: Math.floor(u(3) * 600),
    written: expected + 100 + Math.floor(u(4) * 12),
    expected,
  };
}

/** The failing rank's own lines: the GPU's Xid and CUDA error, the out-of-memory, the crash. */
export function* failingRank(
  t: Timeline,
  f: JobKiller,
  launch: number,
  memGiB: number,
): Generator<SimEvent> {
  const cfg = t.cfg, pid = rankPid(cfg, f.rank, launch);
  const r = launch > 0 ? { restart: launch } : {};
  if (f.kind === "gpu_fault") {
    yield logLine(t, "fault.kernel", { rank: f.rank, ecc: f.ecc, xid: f.xid, pid }, "error");
    yield* advance(t, f.detectS * 1000, "hang");
    const cuda = { rank: f.rank, ecc: f.ecc, error: f.error, step: f.step, pid, site: f.site };
    yield logLine(t, "fault.cuda", { ...cuda, ...r }, "error");
    return;
  }
  if (f.kind === "crash") {
    yield* advance(t, f.detectS * 1000, "train");
    yield logLine(t, "fault.crash", { ...crashFacts(t, f, pid), ...r }, "error");
    return;
  }
  yield* advance(t, f.detectS * 1000, "train");
  const capacity = torchCapacityGiB(cfg.gpu);
  // What the process holds: the allocator's reserved blocks plus the CUDA context.
  const inUse = Math.min(capacity - f.freeGiB, memGiB + 0.4);
  const reserved = inUse - 0.55 - 0.3 * (f.rank % 3) / 3;
  const unused = Math.min(reserved * 0.08, f.requestGiB * 0.6) + 0.05;
  yield logLine(t, "fault.oom", {
    rank: f.rank,
    request_gib: f.requestGiB,
    free_gib: f.freeGiB,
    step: f.step,
    pid,
    site: f.site,
    capacity_gib: capacity,
    in_use_gib: inUse,
    allocated_gib: reserved - unused,
    reserved_gib: unused,
    ...r,
  }, "error");
}

/** Where a fault struck: rank, node, host and GPU. */
export type FaultPlace = Pick<FaultData, "rank" | "node" | "host" | "gpu">;

/** The progress bar of reading a checkpoint's shards back. */
export function* readCheckpoint(t: Timeline, ckpt: CheckpointRead): Generator<SimEvent> {
  const ms = ckpt.seconds * 1000;
  yield* progress(t, "load", "Loading checkpoint shards", ckpt.shards, "shard", ms, "load", 8);
}

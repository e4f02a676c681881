/** The shapes of planned faults: what goes wrong, at which step, on which rank, for how long. */
import type { CrashKind, CudaErrorKind, StrikeSite } from "./facts.ts";
import type { ChaosLevel } from "./run_config.ts";

/** A loss spike: grad norm climbs for three units, loss follows one unit later, then both heal. */
export interface SpikeFault {
  kind: "loss_spike";
  /** Step reported: the loss peak, or the skipped step when `skip`. */
  step: number;
  startStep: number;
  /** Steps per unit of the spike's shape (the log interval, so each unit is one logged line). */
  unitSteps: number;
  /** Whether the run skips the spiking batch instead of riding it out. */
  skip: boolean;
  gradPeak: number;
  /** Loss at the peak is (1 + lossAmp) × the smooth loss. */
  lossAmp: number;
  /** First step whose loss is back within 3% of the smooth curve. */
  recoveredStep: number;
  /** Last step the spike still touches. */
  endStep: number;
}

/** A fault that strikes one step on one rank. */
export interface PointFault {
  kind: "fp16_overflow" | "nan";
  step: number;
  rank: number;
}

/**
 * A fault that kills the job in step `step`: the failing rank's process dies, its launcher
 * stops the node's other workers, the other nodes hang until their NCCL watchdogs fire, and
 * the scheduler launches the job again from the checkpoint at `resumeStep`.
 */
export interface JobFailure {
  step: number;
  rank: number;
  resumeStep: number;
  /** Fraction of the failing step that ran before the fault. */
  stepFraction: number;
  /** Seconds until the failing process notices and raises. */
  detectS: number;
  /** Seconds from the last task's exit to the relaunched job's start (requeue, reboot, queue). */
  requeueS: number;
  /** What the failing rank's Python was doing when the fault reached it. */
  site: StrikeSite;
}

/** A GPU lost mid-step: Xid 79 (fallen off the bus) or an uncorrectable ECC error. */
export interface GpuFault extends JobFailure {
  kind: "gpu_fault";
  /** Uncorrectable ECC error rather than Xid 79 (fallen off the bus). */
  ecc: boolean;
  /** The kernel's Xid code. */
  xid: number;
  /** What the failing CUDA call returns. */
  error: CudaErrorKind;
}

/** A CUDA out-of-memory that kills one rank; the job is launched again with half the micro batch. */
export interface OomFault extends JobFailure {
  kind: "oom";
  requestGiB: number;
  freeGiB: number;
  /** Lasting step-time cost of the smaller micro batch, once the job runs with it. */
  slowdown: number;
}

/**
 * A worker process that crashes outside CUDA (see CrashKind); a failed save strikes in the save
 * of checkpoint `step` (site "save") and the job falls back to the checkpoint before it.
 */
export interface CrashFault extends JobFailure {
  kind: "crash";
  crash: CrashKind;
  /** A full file system or the user's quota, for a failed save. */
  errno?: "ENOSPC" | "EDQUOT";
}

/** A fault that kills the job and relaunches it. */
export type JobKiller = GpuFault | OomFault | CrashFault;

/** A slow GPU that drags every step from `sinceStep` until it is found at `step`. */
export interface StragglerFault {
  kind: "straggler";
  step: number;
  sinceStep: number;
  rank: number;
  slowdown: number;
  cause: string;
}

/** Any planned fault. */
export type PlannedFault =
  | SpikeFault
  | PointFault
  | GpuFault
  | StragglerFault
  | OomFault
  | CrashFault;

/** Every fault of a run, by step. */
export interface ChaosPlan {
  level: ChaosLevel;
  faults: PlannedFault[];
}

/** The shapes of planned faults: what goes wrong, at which step, on which rank, for how long. */
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

/** A GPU lost mid-step: the job hangs, restarts without the node and rolls back to `resumeStep`. */
export interface GpuFault {
  kind: "gpu_fault";
  step: number;
  rank: number;
  /** Uncorrectable ECC error rather than Xid 79 (fallen off the bus). */
  ecc: boolean;
  resumeStep: number;
  /** Fraction of the failing step that ran before the fault. */
  stepFraction: number;
  drainS: number;
  rendezvousS: number;
  ncclS: number;
}

/** A slow GPU that drags every step from `sinceStep` until it is found at `step`. */
export interface StragglerFault {
  kind: "straggler";
  step: number;
  sinceStep: number;
  rank: number;
  slowdown: number;
  cause: string;
}

/** A CUDA out-of-memory on one rank, after which the micro batch is halved for good. */
export interface OomFault {
  kind: "oom";
  step: number;
  rank: number;
  requestGiB: number;
  freeGiB: number;
  stepFraction: number;
  /** Lasting step-time cost of the smaller micro batch. */
  slowdown: number;
}

/** Any planned fault. */
export type PlannedFault = SpikeFault | PointFault | GpuFault | StragglerFault | OomFault;

/** Every fault of a run, by step. */
export interface ChaosPlan {
  level: ChaosLevel;
  faults: PlannedFault[];
}

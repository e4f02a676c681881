/**
 * Typed events the simulation emits on its clock. Renderers turn them into lines; the `type`
 * strings and `data` field names are the public JSON-lines interface (add, never rename).
 */
import type { Tick } from "../cluster/protocol.ts";
import type { LogFacts, LogKey } from "./facts.ts";

export type {
  CrashKind,
  CudaErrorKind,
  DeadWorker,
  InterruptCause,
  LogFacts,
  LogKey,
  StrikeSite,
  WarningFact,
} from "./facts.ts";

/** Severity of a line. */
export type Level = "info" | "warn" | "error";

/** A progress bar's state, carried on `log` events that advance one. */
export interface BarState {
  /** Which bar. */
  id: "load" | "val" | "ckpt" | "export";
  label: string;
  done: number;
  total: number;
  unit: string;
  /** Simulated seconds since the bar started. */
  elapsed_s: number;
}

/** Fields of the `run` event. */
export interface RunData {
  seed: number;
  run_id: string;
  model: string;
  params: number;
  nodes: number;
  gpus_per_node: number;
  gpus: number;
  gpu: string;
  dataset: string;
  task: string;
  epochs: number;
  steps_per_epoch: number;
  total_steps: number;
  global_batch: number;
  micro_batch: number;
  grad_accum: number;
  seq_len: number;
  lr_max: number;
  lr_min: number;
  warmup_steps: number;
  schedule: string;
  precision: string;
  strategy: string;
  tp: number;
  pp: number;
  dp: number;
  mem_per_gpu_gib: number;
  /** Memory of one GPU as the driver reports it, GiB. */
  gpu_mem_gib: number;
  /** Dense peak of one GPU at the run's precision, TFLOP/s (mfu = tflops_per_gpu / this). */
  peak_tflops: number;
  /** All-reduce bus bandwidth the hardware can carry for this cluster, GB/s. */
  busbw_max_gbps: number;
  output_dir: string;
  /** Present when the run resumed from a checkpoint (`--resume`): the step it resumed from. */
  resume_step?: number;
}

/** Fields of a `step` event (one optimizer step). */
export interface StepData {
  epoch: number;
  epochs: number;
  epoch_step: number;
  steps_per_epoch: number;
  step: number;
  total_steps: number;
  loss: number;
  ppl: number;
  lr: number;
  grad_norm: number;
  loss_scale: number;
  step_time_s: number;
  tokens_per_s: number;
  samples_per_s: number;
  tflops_per_gpu: number;
  mfu: number;
  elapsed_s: number;
  eta_s: number;
  tokens_seen: number;
  /** Present and true when the update was skipped (fp16 overflow, non-finite or spiking gradients). */
  skipped?: boolean;
  domain_losses?: Record<string, number>;
}

/** Fields of a `val` event. */
export interface ValData {
  epoch: number;
  step: number;
  loss: number;
  ppl: number;
  accuracy: number;
  samples: number;
  time_s: number;
  /** Present when the script also estimates the loss on the training split (nanoGPT does). */
  train_loss?: number;
  /** Present when the script also runs HellaSwag: acc_norm over its 10,042 examples, 0 to 1. */
  hellaswag?: number;
}

/** Fields of a `ckpt` event. */
export interface CkptData {
  epoch: number;
  step: number;
  path: string;
  bytes: number;
  shards: number;
  time_s: number;
  /** Present and true for the checkpoint saved on the way out after a signal. */
  emergency?: boolean;
}

/** Fields of an `export` event. */
export interface ExportData {
  format: string;
  path: string;
  bytes: number;
  files: number;
  time_s: number;
}

/** Fields of the `summary` event. */
export interface SummaryData {
  total_time_s: number;
  steps: number;
  tokens: number;
  final_loss: number;
  final_ppl: number;
  best_val_loss: number;
  checkpoints: number;
  output_dir: string;
  /** Fault events of the run; present only when there were any. */
  faults?: number;
  /** Steps run a second time after rollbacks to a checkpoint; present only when faults > 0. */
  steps_replayed?: number;
  /** Present when a signal cut the run short: "SIGINT" or "SIGTERM". */
  signal?: string;
  /** Present when the run stopped early: "signal" or "time_limit". */
  cause?: string;
}

/** What went wrong: training dynamics, numerics or hardware. */
export type FaultKind =
  | "loss_spike"
  | "fp16_overflow"
  | "nan"
  | "gpu_fault"
  | "straggler"
  | "oom"
  | "crash";

/** How the run got past a fault. */
export type FaultRecovery =
  | "continue"
  | "skip_batch"
  | "skip_step"
  | "restart_from_checkpoint"
  | "gpu_reset"
  | "reduce_micro_batch";

/** Fields of a `fault` event: one thing that went wrong and how training went on. */
export interface FaultData {
  kind: FaultKind;
  /** Global step at which it struck or was detected (for `gpu_fault`, the step that never finished). */
  step: number;
  /** Global rank, its node, host and GPU index on the node; null when not tied to one rank. */
  rank: number | null;
  node: number | null;
  host: string | null;
  gpu: number | null;
  recovery: FaultRecovery;
  /** Short cause, e.g. "Xid 79: GPU has fallen off the bus". */
  cause: string;
  /**
   * `gpu_fault` and `oom` (both kill the job, which is launched again): checkpoint step training
   * resumes from, steps lost, seconds from the fault to the relaunched job's first step, and
   * the launch count (1 for the first relaunch).
   */
  resume_step?: number;
  lost_steps?: number;
  downtime_s?: number;
  restart?: number;
  /** `loss_spike`, `nan`: the loss and grad norm at the step; `fp16_overflow`: the new loss scale. */
  loss?: number;
  grad_norm?: number;
  loss_scale?: number;
  /** Any fault that overflowed an fp16 step: the scale it ran with and the hysteresis it had. */
  attempted_scale?: number;
  hysteresis?: number;
  /** `straggler`: first slow step and the slowdown of every step since, percent. */
  since_step?: number;
  slowdown_pct?: number;
  /** `oom`: micro batch and gradient accumulation after the recovery (global batch unchanged). */
  micro_batch?: number;
  grad_accum?: number;
  /** `gpu_fault`: the kernel's Xid code for the failing GPU (79 fell off the bus, 48/94/95 ECC). */
  xid?: number;
  /** `crash`: what crashed (a DataLoader worker, the host's OOM killer, a full disk, a segfault). */
  crash?: string;
  /** `gpu_fault`, `oom`, `crash`: the failing worker's pid and its exit code as the launcher saw it. */
  pid?: number;
  exit_code?: number;
}

/** Fields of an `allreduce` event (the slowest node's time). */
export interface AllReduceData {
  step: number;
  bytes: number;
  ranks: number;
  time_ms: number;
  algo: string;
  busbw_gbps: number;
}

/** One GPU as a `gpu` event reports it. */
export interface GpuReading {
  rank: number;
  util_pct: number;
  temp_c: number;
  mem_used_gib: number;
  mem_total_gib: number;
  power_w: number;
}

/**
 * A reading the job script also prints as an `nvidia-smi` table: `start` before it launches
 * training, `run` while training runs (a `sleep` and `nvidia-smi` in the background).
 */
export type SmiSnapshot = "start" | "run";

/** Fields of a `gpu` event: one node's GPUs. */
export interface GpuData {
  node: number;
  host: string;
  gpus: GpuReading[];
  /** Present when the job script prints `nvidia-smi` from this reading. */
  snapshot?: SmiSnapshot;
}

interface Base {
  /** Simulated milliseconds since the Unix epoch. */
  simMs: number;
  level: Level;
  /** The line(s) without timestamp or level: empty from the simulation, filled in by a style. */
  msg: string;
}

/** A `log` event of the single key K. */
type OneLogEvent<K extends LogKey> = Base & {
  type: "log";
  /** Stable key of the kind of line, e.g. "nccl.init", for styles and filters. */
  key: K;
  /** What happened: the facts of this kind of line. */
  data: LogFacts[K];
  /** The progress bar this line advances, if any. */
  bar?: BarState;
};

/** A `log` event of any of the keys K (a union on `key`, so narrowing it types `data`). */
export type LogEventOf<K extends LogKey> = { [P in K]: OneLogEvent<P> }[K];

/** Set-up, NCCL, warnings, faults, progress: every line that is not a structured event. */
export type LogEvent = LogEventOf<LogKey>;

/** Structured events, each with its data. */
export type DataEvent =
  | (Base & { type: "run"; data: RunData })
  | (Base & { type: "step"; data: StepData; logged: boolean })
  | (Base & { type: "val"; data: ValData })
  | (Base & { type: "ckpt"; data: CkptData })
  | (Base & { type: "export"; data: ExportData })
  | (Base & { type: "summary"; data: SummaryData })
  | (Base & { type: "allreduce"; data: AllReduceData })
  | (Base & { type: "fault"; data: FaultData })
  | (Base & { type: "gpu"; data: GpuData });

/** Where the run is; drives the live region's bars. Never printed. */
export interface PhaseEvent {
  type: "phase";
  simMs: number;
  phase: "init" | "train" | "val" | "ckpt" | "export" | "done";
  epoch: number;
}

/** A request for telemetry: the driver asks the worker pool and turns replies into events. */
export interface TickEvent {
  type: "tick";
  simMs: number;
  tick: Omit<Tick, "type" | "seq" | "simMs">;
  /** Whether text and JSON output should report this tick as `gpu` lines. */
  report: boolean;
  /** Step the all-reduce probe belongs to, when the tick carries one. */
  allreduceStep?: number;
  algo?: string;
  /** The job script prints `nvidia-smi` from this reading (carried to its `gpu` events). */
  snapshot?: SmiSnapshot;
}

/** Everything the simulation yields. */
export type SimEvent = LogEvent | DataEvent | PhaseEvent | TickEvent;

/** Events that become output lines. */
export type OutputEvent = LogEvent | DataEvent;

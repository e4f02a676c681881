/**
 * The facts each kind of `log` event carries, by key. The simulation states what happened and
 * the numbers it drew; the styles turn facts into words (src/style/native_*.ts is fauxtrain's
 * own wording). Everything the run configuration already holds (model, cluster, hosts, paths)
 * is read from it, not repeated here.
 */
/**
 * Nothing beyond the key, the time and the run's configuration; after a job failure the
 * relaunched job's start-up carries `restart` (1, 2, ...), so its processes are new ones.
 */
type Bare = { restart?: number };

/** How a CUDA error reads: the driver's error behind the failing call. */
export type CudaErrorKind =
  | "ecc_uncorrectable"
  | "unknown"
  | "illegal_address"
  | "launch_failure"
  /** Not CUDA's: the InfiniBand link under the rank failed, and NCCL's watchdog aborts it. */
  | "net_ib";

/**
 * Where in a training step a job-killing fault reaches the failing rank's Python: fetching the
 * batch, the forward or backward pass, the optimizer step, the logging sync (`loss.item()`),
 * or the checkpoint save.
 */
export type StrikeSite = "data" | "forward" | "backward" | "optimizer" | "sync" | "save";

/**
 * A worker process that crashes outside CUDA: a DataLoader worker killed by SIGBUS (/dev/shm
 * full) or by the OOM killer, the host's OOM killer taking the rank itself (SIGKILL), a full
 * disk or quota under a checkpoint save, or a segmentation fault in native code.
 */
export type CrashKind = "loader_bus" | "loader_killed" | "host_oom" | "disk_full" | "segfault";

/** One worker process that died, as its launcher saw it. */
export interface DeadWorker {
  rank: number;
  pid: number;
  /** Exit code as torchrun reports it: 1 for a Python exception, -6 for SIGABRT, -15, ... */
  exitcode: number;
  /** When it died, simulated ms since the epoch. */
  at_ms: number;
  /**
   * What killed it: its own CUDA error or out-of-memory, another crash (which records a Python
   * traceback only when it raised one: `crash_raised`), or its NCCL watchdog's abort.
   */
  cause?: "cuda" | "oom" | "crash" | "watchdog";
  /** A crash that raised a Python exception (its `@record` wrapper wrote the error file). */
  crash_raised?: boolean;
}

/** The harmless warnings a healthy run prints now and then. */
export type WarningFact =
  /** A data-loader worker was slow to return a batch. */
  | { kind: "dataloader"; rank: number; pid: number; seconds: number; batch: number }
  /** A sample longer than the sequence length was truncated. */
  | { kind: "truncated"; length: number }
  /** A node read its data shards slowly for a while. */
  | { kind: "slow_read"; node: number; gbps: number; seconds: number }
  /** torch.utils.checkpoint's use_reentrant notice. */
  | { kind: "reentrant"; rank: number };

/** Why a run stopped early: a signal from the user, or the scheduler's time limit. */
export type InterruptCause = "signal" | "time_limit";

/** What torchrun's elastic agent does around a restart. */
export type ElasticAction = "failed" | "stopping" | "rendezvous" | "rendezvous_done" | "starting";

/** The facts of every `log` key. */
export interface LogFacts {
  // Launch and distributed set-up.
  "launch": Bare;
  "launch.job": Bare;
  "torchrun.omp": Bare;
  "torchrun.rdzv": Bare;
  "torchrun.start": Bare;
  "dist.init": Bare;
  "dist.versions": Bare;
  "nccl.bootstrap": Bare;
  "nccl.version": Bare;
  "nccl.net": Bare;
  /** One rank starting its communicator: its heap address and the communicator's id. */
  "nccl.init": { rank: number; comm: string; commId: string; restart?: number };
  /** One ring channel of `channels`. */
  "nccl.channel": { channel: number; channels: number; restart?: number };
  "nccl.rings": Bare;
  "nccl.trees": Bare;
  "nccl.channels": { channels: number; restart?: number };
  /** Rank 0's communicator is ready. */
  "nccl.done": { comm: string; commId: string; restart?: number };
  // GPUs, model, data and training configuration.
  "gpu.detect": Bare;
  /** One node's GPUs (`node`), or how many more nodes there are (`more`). */
  "gpu.node": { node: number; more: number; restart?: number };
  "gpu.driver": Bare;
  "model.arch": Bare;
  /** Pretrained weights read from `shards` safetensors files. */
  "model.load": { shards: number; restart?: number };
  "model.init": Bare;
  "model.wrap": Bare;
  "model.memory": Bare;
  "tokenizer": Bare;
  "dataset.open": Bare;
  "dataset.mixture": Bare;
  "dataset.epoch": Bare;
  "config.header": Bare;
  /** Item `item` (0 to 4) of the training configuration. */
  "config": { item: number; restart?: number };
  "seed": Bare;
  /** Where checkpoints go and how big each is. */
  "ckpt.plan": { bytes: number; restart?: number };
  // Training.
  /** Epoch `epoch` starts, `done` of its steps already behind it (after a restart or resume). */
  "epoch.start": { epoch: number; done: number; restart?: number };
  /**
   * An fp16 overflow outside any planned fault: the step is skipped and the scaler either halves
   * the scale or, while `hysteresis` (left before this overflow) is above 1, spends one of it.
   * `attempted`: the scale the step ran with; `loss_scale`: the scale after.
   */
  "fp16.overflow": { step: number; loss_scale: number; attempted: number; hysteresis: number };
  "warning": WarningFact;
  "val.start": { epoch: number; samples: number; batches: number };
  "val.time": { seconds: number; best: number };
  "ckpt.start": { step: number; path: string; bytes: number; emergency: boolean };
  // Faults and their recovery.
  /**
   * CUDA out of memory on `rank` in step `step`: what it asked for and what was free, GiB; the
   * capacity torch reports, what the process holds on the GPU, what PyTorch allocated, and
   * what it reserved but left unallocated (`reserved_gib`). The process dies (exit code 1).
   */
  "fault.oom": {
    rank: number;
    request_gib: number;
    free_gib: number;
    step?: number;
    pid?: number;
    site?: StrikeSite;
    capacity_gib?: number;
    in_use_gib?: number;
    allocated_gib?: number;
    reserved_gib?: number;
    restart?: number;
  };
  /** A spike's loss back within a few percent of its curve (fauxtrain's own note; no tool says it). */
  "fault.recovered": { step: number; loss: number; spike_step: number };
  /** The kernel's Xid report of a failing GPU (in the host's kernel log, not the job's output). */
  "fault.kernel": { rank: number; ecc: boolean; xid?: number; pid?: number };
  /** The failing rank's CUDA error, raised in step `step`; the process then aborts. */
  "fault.cuda": {
    rank: number;
    ecc: boolean;
    error?: CudaErrorKind;
    step?: number;
    pid?: number;
    site?: StrikeSite;
    restart?: number;
  };
  /**
   * The failing rank's crash in step `step` at `site`. Loader crashes name the DataLoader
   * worker (`worker_pid`); a failed save names the errno, the zip record being written and the
   * bytes the writer had got out (`written`) against where it thought it was (`expected`).
   */
  "fault.crash": {
    rank: number;
    crash: CrashKind;
    step: number;
    pid: number;
    site: StrikeSite;
    worker_pid?: number;
    errno?: "ENOSPC" | "EDQUOT";
    record?: number;
    written?: number;
    expected?: number;
    restart?: number;
  };
  /**
   * A surviving rank's NCCL watchdog: collective `seq` (`op`, `numel` in, `numel_out` out) of
   * process group `pg` ran `ran_ms` without completing. `more` is always 0 (kept for old
   * readers).
   */
  "fault.watchdog": {
    rank: number;
    seq: number;
    numel: number;
    ran_ms: number;
    more: number;
    op?: string;
    numel_out?: number;
    timeout_ms?: number;
    last_enqueued?: number;
    last_completed?: number;
    pg?: number;
    pid?: number;
    restart?: number;
  };
  "fault.elastic": { action: ElasticAction; restart: number; attempts_left: number };
  /**
   * Node `node`'s launcher found workers dead: `failed` (first observed first), and the pids of
   * the local workers it then stopped with SIGTERM; the launcher exits with code 1.
   */
  "fault.exit": {
    node: number;
    failed: DeadWorker[];
    terminated: number[];
    restart?: number;
  };
  /** The Slurm step's tasks (one per node) that exited, with their exit codes. */
  "fault.srun": {
    /** `oom_kills`: the task's cgroup saw that many OOM-killer events (srun: Out Of Memory). */
    tasks: Array<{ node: number; task: number; exit_code: number; oom_kills?: number }>;
    restart?: number;
  };
  "fault.node": { rank: number; ecc: boolean };
  "fault.nccl": Bare;
  "fault.load": { step: number; bytes: number };
  "fault.resume": {
    step: number;
    from_step: number;
    lost_steps: number;
    lost_s: number;
    recovery_s: number;
    restart: number;
  };
  // Resuming from a checkpoint (--resume).
  "resume.load": { step: number; bytes: number; shards: number; restart?: number };
  "resume.state": { step: number; next_lr: number; restart?: number };
  "resume.data": { step: number; restart?: number };
  // Export and the end.
  "export.start": { step: number };
  "export.format": { format: string; path: string; files: number };
  "export.index": { path: string; files: number };
  "export.extra": { path: string };
  "summary.size": Bare;
  /**
   * A signal cut the run short at `step` during `phase`; `saved`: its checkpoint is on disk.
   * `cause`: the user's signal, or Slurm's time limit (SIGTERM to every task of the step).
   */
  "interrupt": {
    signal: "SIGINT" | "SIGTERM";
    cause: InterruptCause;
    step: number;
    epoch: number;
    phase: string;
    saved: boolean;
    restart?: number;
  };
  "interrupt.shutdown": { signal: "SIGINT" | "SIGTERM"; cause?: InterruptCause; restart?: number };
  "interrupt.resume": { path: string };
  // Telemetry agents (worker threads) that died or came back.
  "node.fail": {
    first_node: number;
    nodes: number;
    tick: number;
    reason: string;
    restarting: boolean;
  };
  "node.recover": { first_node: number; nodes: number; tick: number };
  // Progress bars (the bar itself is the event's `bar`).
  "load.progress": Bare;
  "val.progress": Bare;
  "ckpt.progress": Bare;
  "export.progress": Bare;
}

/** Every `log` key. */
export type LogKey = keyof LogFacts;

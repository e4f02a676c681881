/**
 * The facts each kind of `log` event carries, by key. The simulation states what happened and
 * the numbers it drew; the styles turn facts into words (src/style/native_*.ts is fauxtrain's
 * own wording). Everything the run configuration already holds (model, cluster, hosts, paths)
 * is read from it, not repeated here.
 */
/** Nothing beyond the key, the time and the run's configuration. */
// deno-lint-ignore ban-types
type Bare = {};

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
  "nccl.init": { rank: number; comm: string; commId: string };
  /** One ring channel of `channels`. */
  "nccl.channel": { channel: number; channels: number };
  "nccl.rings": Bare;
  "nccl.trees": Bare;
  "nccl.channels": { channels: number };
  /** Rank 0's communicator is ready. */
  "nccl.done": { comm: string; commId: string };
  // GPUs, model, data and training configuration.
  "gpu.detect": Bare;
  /** One node's GPUs (`node`), or how many more nodes there are (`more`). */
  "gpu.node": { node: number; more: number };
  "gpu.driver": Bare;
  "model.arch": Bare;
  /** Pretrained weights read from `shards` safetensors files. */
  "model.load": { shards: number };
  "model.init": Bare;
  "model.wrap": Bare;
  "model.memory": Bare;
  "tokenizer": Bare;
  "dataset.open": Bare;
  "dataset.mixture": Bare;
  "dataset.epoch": Bare;
  "config.header": Bare;
  /** Item `item` (0 to 4) of the training configuration. */
  "config": { item: number };
  "seed": Bare;
  /** Where checkpoints go and how big each is. */
  "ckpt.plan": { bytes: number };
  // Training.
  /** Epoch `epoch` starts, `done` of its steps already behind it (after a restart or resume). */
  "epoch.start": { epoch: number; done: number };
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
  "fault.oom": { rank: number; request_gib: number; free_gib: number };
  "fault.recovered": { step: number; loss: number; spike_step: number };
  "fault.kernel": { rank: number; ecc: boolean };
  "fault.cuda": { rank: number; ecc: boolean };
  /** A surviving rank's watchdog (`rank` ≥ 0), or how many more said the same (`more`). */
  "fault.watchdog": { rank: number; seq: number; numel: number; ran_ms: number; more: number };
  "fault.elastic": { action: ElasticAction; restart: number; attempts_left: number };
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
  "resume.load": { step: number; bytes: number; shards: number };
  "resume.state": { step: number; next_lr: number };
  "resume.data": { step: number };
  // Export and the end.
  "export.start": { step: number };
  "export.format": { format: string; path: string; files: number };
  "export.index": { path: string; files: number };
  "export.extra": { path: string };
  "summary.size": Bare;
  /**
   * A signal cut the run short at `step` during `phase`; `saved`: its checkpoint is on disk;
   * `cause`: a signal from outside, or the scheduler's time limit.
   */
  "interrupt": {
    signal: "SIGINT" | "SIGTERM";
    cause: "signal" | "time_limit";
    step: number;
    epoch: number;
    phase: string;
    saved: boolean;
  };
  "interrupt.shutdown": { signal: "SIGINT" | "SIGTERM" };
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

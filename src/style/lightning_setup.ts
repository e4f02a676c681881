/**
 * What a Lightning 2.x job prints before its first batch, line by line as the library writes
 * them (each line ends in its newline): seeds, the Trainer's accelerator report, every rank
 * joining the process group, the rank-zero banner, each rank's CUDA_VISIBLE_DEVICES, the model
 * summary and the warnings that go with the configuration.
 */
import type { RunConfig } from "../sim/run_config.ts";
import type { LightningProfile } from "./lightning_profile.ts";
import { summaryLines } from "./lightning_summary.ts";

/** `seed_everything`: with a rank prefix when the launcher set a rank variable. */
export function seedLine(p: LightningProfile, rank: number | null): string {
  const msg = `Seed set to ${p.seed}`;
  return `${rank === null ? msg : `[rank: ${rank}] ${msg}`}\n`;
}

/** A warning raised from Lightning's own code: `path:line: message` on one line. */
export function lightningWarning(dir: string, file: string, line: number, msg: string): string {
  return `${dir}/${file}:${line}: ${msg}\n`;
}

/** The Trainer's constructor on rank zero: the srun hint, precision and accelerators. */
export function trainerLines(cfg: RunConfig, p: LightningProfile): string {
  const out: string[] = [];
  if (p.launcher === "spawn-slurm") {
    out.push(lightningWarning(
      p.fabricDir,
      "plugins/environments/slurm.py",
      204,
      "The `srun` command is available on your system but is not used. HINT: If your intention " +
        "is to run Lightning on SLURM, prepend your python command with `srun` like so: " +
        `${p.srunHint} ...`,
    ));
  }
  const amp = cfg.precision === "fp16" ? "16bit" : "bfloat16";
  out.push(`Using ${amp} Automatic Mixed Precision (AMP)\n`);
  out.push("GPU available: True (cuda), used: True\n");
  out.push("TPU available: False, using: 0 TPU cores\n");
  if (p.release.ipu) out.push("IPU available: False, using: 0 IPUs\n");
  out.push("HPU available: False, using: 0 HPUs\n");
  if (p.r.logger === "csv") {
    out.push(lightningWarning(
      p.pytorchDir,
      "trainer/connectors/logger_connector/logger_connector.py",
      p.release.csvLoggerLine,
      "Starting from v1.9.0, `tensorboardX` has been removed as a dependency of the " +
        "`lightning.pytorch` package, due to potential conflicts with other packages in the ML " +
        "ecosystem. For this reason, `logger=True` will use `CSVLogger` as the default logger, " +
        "unless the `tensorboard` or `tensorboardX` packages are found. Please `pip install " +
        "lightning[extra]` or one of them to enable TensorBoard support by default",
    ));
  }
  return out.join("");
}

/** `_check_cuda_matmul_precision` on rank zero, when float32 matmuls were left at "highest". */
export function tensorCoresLine(cfg: RunConfig, p: LightningProfile): string {
  if (!p.tensorCoresHint) return "";
  return `You are using a CUDA device ('${cfg.gpu.name}') that has Tensor Cores. To properly ` +
    "utilize them, you should set `torch.set_float32_matmul_precision('medium' | 'high')` which " +
    "will trade-off precision for performance. For more details, read https://pytorch.org/docs/" +
    "stable/generated/torch.set_float32_matmul_precision.html#torch.set_float32_matmul_precision\n";
}

/** `_init_dist_connection`, from every rank. */
export function initLine(cfg: RunConfig, rank: number): string {
  return `Initializing distributed: GLOBAL_RANK: ${rank}, MEMBER: ${rank + 1}/${cfg.worldSize}\n`;
}

/** Rank zero once every rank has joined: the backend between two rules, then a blank line. */
export function bannerLines(cfg: RunConfig): string {
  const rule = "-".repeat(100);
  return `${rule}\ndistributed_backend=nccl\n` +
    `All distributed processes registered. Starting with ${cfg.worldSize} processes\n${rule}\n\n`;
}

/** `CUDAAccelerator.setup`: each local rank's device list (no spaces). */
export function localRankLine(cfg: RunConfig, local: number): string {
  const devices = Array.from({ length: cfg.gpusPerNode }, (_, i) => i).join(",");
  return `LOCAL_RANK: ${local} - CUDA_VISIBLE_DEVICES: [${devices}]\n`;
}

/** ModelCheckpoint.setup when a later attempt finds the earlier one's files in its directory. */
export function ckptDirWarning(p: LightningProfile, dir: string): string {
  return lightningWarning(
    p.pytorchDir,
    "callbacks/model_checkpoint.py",
    p.release.ckptDirLine,
    `Checkpoint directory ${dir} exists and is not empty.`,
  );
}

/**
 * ModelSummary at the start of fit: one log record, a newline then the table (2.5.3 on warns
 * first that it counts 32 bits).
 */
export function summaryText(cfg: RunConfig, p: LightningProfile): string {
  const warn = p.release.summaryPrecisionLine
    ? lightningWarning(
      p.pytorchDir,
      "utilities/model_summary/model_summary.py",
      p.release.summaryPrecisionLine,
      `Precision ${cfg.precision === "fp16" ? "16-mixed" : "bf16-mixed"} is not supported by ` +
        "the model summary.  Estimated model size in MB will not be accurate. Using 32 bits " +
        "instead.",
    )
    : "";
  return `${warn}\n${summaryLines(cfg, p).map((l) => `${l}\n`).join("")}`;
}

/** `_worker_check` for a data loader with fewer than two workers. */
export function workersWarning(p: LightningProfile, name: "train" | "val"): string {
  if (p.workersHint === null) return "";
  return lightningWarning(
    p.pytorchDir,
    "trainer/connectors/data_connector.py",
    p.release.workersLine,
    `The '${name}_dataloader' does not have many workers which may be a bottleneck. Consider ` +
      "increasing the value of the `num_workers` argument` to " +
      `\`num_workers=${p.workersHint}\` in the \`DataLoader\` to improve performance.`,
  );
}

/** Lightning 2.5.5's check of module modes when training starts. */
export function evalModeWarning(evalModules: number, p: LightningProfile): string {
  if (!p.release.evalModeLine || evalModules === 0) return "";
  return lightningWarning(
    p.pytorchDir,
    "loops/fit_loop.py",
    p.release.evalModeLine,
    `Found ${evalModules} module(s) in eval mode at the start of training. This may lead to ` +
      "unexpected behavior during training. If this is intentional, you can ignore this warning.",
  );
}

/** Logging a metric per epoch without `sync_dist` in a distributed run (once per metric). */
export function syncDistWarning(p: LightningProfile, metric: string): string {
  if (!p.syncDistHint) return "";
  return lightningWarning(
    p.pytorchDir,
    "trainer/connectors/logger_connector/result.py",
    p.release.syncDistLine,
    `It is recommended to use \`self.log('${metric}', ..., sync_dist=True)\` when logging on ` +
      "epoch level in distributed setting to accumulate the metric across devices.",
  );
}

/** The epoch loop restarting from a checkpoint saved before its epoch ended. */
export function midEpochWarning(p: LightningProfile): string {
  return lightningWarning(
    p.pytorchDir,
    "loops/training_epoch_loop.py",
    p.release.midEpochLine,
    "You're resuming from a checkpoint that ended before the epoch ended and your dataloader is " +
      "not resumable. This can cause unreliable results if further training is done. Consider " +
      "using an end-of-epoch checkpoint or make your dataloader resumable by implementing the " +
      "`state_dict` / `load_state_dict` interface.",
  );
}

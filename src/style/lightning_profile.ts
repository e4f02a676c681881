/**
 * What one Lightning job is, drawn once per run from the seed: the Lightning release that goes
 * with the run's torch (and that release's file:line numbers), how the ranks were launched, the
 * logger, the progress bar's refresh rate, the metrics the LightningModule logs and how
 * ModelCheckpoint is set up. Every Lightning line of the run reads from it.
 */
import { createRng, type Rng } from "../sim/rng.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { drawRecipe, type LightningRecipe } from "./lightning_recipe.ts";

/** A Lightning release and the source lines its warnings point at. */
export interface LightningRelease {
  version: string;
  /** data_connector.py: "does not have many workers". */
  workersLine: number;
  /** model_checkpoint.py: "Checkpoint directory ... exists and is not empty." */
  ckptDirLine: number;
  /** call.py: the KeyboardInterrupt message (a warning in 2.3, an info line from 2.4 on). */
  interruptLine: number;
  /** model_summary.py: "Precision bf16-mixed is not supported" (2.5.3 on), else 0. */
  summaryPrecisionLine: number;
  /** fit_loop.py: "Found N module(s) in eval mode" (2.5.5 on), else 0. */
  evalModeLine: number;
  /** logger_connector.py: the default logger falls back to CSVLogger. */
  csvLoggerLine: number;
  /** result.py: "It is recommended to use `self.log(..., sync_dist=True)`". */
  syncDistLine: number;
  /** training_epoch_loop.py: resuming from a checkpoint saved before its epoch ended. */
  midEpochLine: number;
  /** The summary's Mode column and module counts (2.3 on). */
  modes: boolean;
  /** The "IPU available" line (up to 2.2). */
  ipu: boolean;
}

/** The releases current with each torch minor version (pip would have picked one of them). */
const RELEASES: Record<string, LightningRelease[]> = {
  "2.3": [
    rel("2.2.5", [441, 653, 54, 0, 0, 75, 441, 161]),
    rel("2.3.3", [424, 652, 54, 0, 0, 75, 439, 161]),
  ],
  "2.4": [rel("2.4.0", [424, 654, 56, 0, 0, 75, 431, 161])],
  "2.5": [rel("2.5.0", [425, 654, 56, 0, 0, 76, 434, 221])],
  "2.6": [rel("2.5.1", [425, 654, 57, 0, 0, 76, 434, 221])],
  "2.7": [rel("2.5.2", [425, 658, 57, 0, 0, 76, 434, 223])],
  "2.8": [rel("2.5.5", [433, 751, 58, 231, 527, 76, 434, 223])],
};

/** A release from its version and its lines, in the order of LightningRelease's fields. */
function rel(version: string, lines: number[]): LightningRelease {
  const [workersLine, ckptDirLine, interruptLine, summaryPrecisionLine, evalModeLine] = lines;
  return {
    version,
    workersLine,
    ckptDirLine,
    interruptLine,
    summaryPrecisionLine,
    evalModeLine,
    csvLoggerLine: lines[5],
    syncDistLine: lines[6],
    midEpochLine: lines[7],
    modes: version >= "2.3",
    ipu: version < "2.3",
  };
}

/** How the ranks were started: Lightning spawning its own (one node), or one task per GPU. */
export type Launcher = "spawn" | "spawn-slurm" | "srun";

/** One Lightning job's set-up. */
export interface LightningProfile {
  release: LightningRelease;
  /** Where Lightning's warnings say they come from: `.../site-packages/lightning/pytorch`. */
  pytorchDir: string;
  fabricDir: string;
  launcher: Launcher;
  /** `srun python train.py ...` as Lightning's hint cuts it (64 characters). */
  srunHint: string;
  /** What the script configures: logger, logged names, checkpointing, bar, validation. */
  r: LightningRecipe;
  /** The logger's versions in the job's first attempt and in the earlier job `--resume` reads. */
  firstVersion: number | string;
  resumedVersion: number | string;
  /** WandbLogger's project (its checkpoints go to `<project>/<run id>/checkpoints`). */
  wandbProject: string;
  /** Batches per optimizer step (`accumulate_grad_batches`). */
  accumulate: number;
  /** ModelCheckpoint's directory for a logger version. */
  ckptDir: (version: number | string) => string;
  /** The directory is the same for every attempt (it is not under the logger's version). */
  fixedCkptDir: boolean;
  /** num_workers < 2: Lightning suggests `num_workers=<cpus per GPU - 1>`. */
  workersHint: number | null;
  /** float32 matmul precision left at "highest" on a GPU with tensor cores. */
  tensorCoresHint: boolean;
  /** The model was loaded with from_pretrained and left in eval mode. */
  modelEval: boolean;
  /** Metrics logged per epoch without `sync_dist=True` in a distributed run (Lightning warns). */
  syncDistHint: boolean;
  /** The script's `seed_everything` value. */
  seed: number;
}

function sitePackages(cfg: RunConfig): string {
  const py = cfg.cluster.pythonVersion.split(".").slice(0, 2).join(".");
  const v = cfg.cluster.venv;
  if (v.startsWith("/usr/bin")) return `/usr/local/lib/python${py}/dist-packages`;
  return `${v.replace(/\/bin\/python3?$/, "")}/lib/python${py}/site-packages`;
}

/** A W&B run id: eight lowercase letters and digits. */
export function wandbId(rng: Rng): string {
  const alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from({ length: 8 }, () => alnum[rng.int(0, alnum.length - 1)]).join("");
}

/** A Lightning release that was current for the run's torch. */
export function lightningRelease(cfg: RunConfig, rng: Rng): LightningRelease {
  const [major, minor] = cfg.cluster.torchVersion.split(".");
  return rng.pick(RELEASES[`${major}.${minor}`] ?? RELEASES["2.4"]);
}

/** Draws the job's Lightning set-up from the run (its own stream: other draws are untouched). */
export function drawProfile(cfg: RunConfig): LightningProfile {
  const rng = createRng(cfg.seed, "style:lightning:profile");
  const site = sitePackages(cfg);
  const unified = rng.chance(0.65);
  const pytorchDir = unified ? `${site}/lightning/pytorch` : `${site}/pytorch_lightning`;
  const fabricDir = unified ? `${site}/lightning/fabric` : `${site}/lightning_fabric`;
  const launcher: Launcher = cfg.nodes > 1 ? "srun" : rng.chance(0.5) ? "spawn-slurm" : "spawn";
  const exe = cfg.cluster.venv.endsWith("python3") ? "python3" : "python";
  const args = rng.pick(["--config", "-c"]) + ` configs/${cfg.model.id}.yaml`;
  const r = drawRecipe(cfg);
  const counted = (cfg.resumeStep > 0 ? 1 : 0) + rng.pick([0, 0, 0, 1, 1, 2, 3, 5, 8, 13]);
  const wandb = r.logger === "wandb";
  const explicit = rng.chance(0.4);
  const wandbProject = rng.chance(0.5) ? "lightning_logs" : `${cfg.model.id}-${cfg.task}`;
  const root = wandb ? wandbProject : "lightning_logs";
  const cpus = rng.pick([96, 128, 192, 224, 256]);
  const sxm = cfg.gpu.vendor === "nvidia" && Number(cfg.gpu.computeCapability) >= 8;
  return {
    release: lightningRelease(cfg, rng),
    pytorchDir,
    fabricDir,
    launcher,
    srunHint: `srun ${exe} ${cfg.cluster.script} ${args}`.slice(0, 64),
    r,
    firstVersion: wandb ? wandbId(rng) : counted,
    resumedVersion: wandb ? wandbId(rng) : counted - 1,
    wandbProject,
    accumulate: cfg.gradAccum,
    ckptDir: explicit
      ? () => `${cfg.outputDir}/checkpoints`
      : (v) => `${root}/${wandb ? v : `version_${v}`}/checkpoints`,
    fixedCkptDir: explicit,
    workersHint: rng.chance(0.4) ? Math.max(1, Math.floor(cpus / cfg.gpusPerNode) - 1) : null,
    tensorCoresHint: sxm && rng.chance(0.6),
    modelEval: cfg.task === "finetune" && rng.chance(0.6),
    syncDistHint: cfg.worldSize > 1 && rng.chance(0.55),
    seed: rng.pick([42, 42, 42, 0, 1234, 3407, 2024, 17, 7]),
  };
}

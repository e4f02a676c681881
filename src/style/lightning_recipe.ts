/**
 * What the user's Lightning script configures, drawn once per run from the seed: the logger,
 * the names the LightningModule logs with `prog_bar=True`, how ModelCheckpoint is set up (or
 * left to the Trainer's silent default), the progress bar's refresh rate, how often and on how
 * much data validation runs, and which limit ends the fit. It reads only what the pacing does
 * not change, so the pacing and the writer draw the same recipe.
 */
import { createRng, type Rng } from "../sim/rng.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { pyFixed } from "../format/py_format.ts";

/** The logger the Trainer was given; its version is the bar's `v_num`. */
export type LoggerKind = "tensorboard" | "csv" | "wandb";

/** A ModelCheckpoint `filename` template, as the file names it gives. */
export interface NamePattern {
  /** The template as the user wrote it (for the docs and tests). */
  template: string;
  /** The file name (no `.ckpt`) for an epoch, a global step and the monitored value. */
  name: (epoch: number, step: number, score: number) => string;
}

/** One script's choices. */
export interface LightningRecipe {
  logger: LoggerKind;
  /** The training loss as logged: its name, and whether it is also logged per epoch. */
  trainKey: string;
  epochLoss: boolean;
  /** The learning rate logged to the bar too (`self.log("lr", ..., prog_bar=True)`). */
  lrKey: string | null;
  /** Validation metrics in logging order: the loss first, perplexity sometimes. */
  valKeys: string[];
  /** ModelCheckpoint(monitor=...): null leaves the Trainer's default, which prints nothing. */
  monitor: string | null;
  topK: number;
  verbose: boolean;
  pattern: NamePattern;
  /** A second ModelCheckpoint(every_n_train_steps=N) (0: none). */
  everySteps: number;
  /** `TQDMProgressBar(refresh_rate=...)`, in batches. */
  refreshRate: number;
  /** `num_sanity_val_steps`. */
  sanitySteps: number;
  /** Validation every this many optimizer steps inside an epoch (0: at the epoch's end only). */
  valEvery: number;
  /** Validation samples of the whole world per pass (the split, cut by `limit_val_batches`). */
  valSamples: number;
  /** The limit that ends the fit. */
  stopBy: "max_epochs" | "max_steps";
  /** The dataset tokenizes on the fly, so transformers warns once about a long sample. */
  tokenizesLive: boolean;
}

const DEFAULT_PATTERN: NamePattern = {
  template: "(default)",
  name: (e, s) => `epoch=${e}-step=${s}`,
};

const two = (n: number) => String(n).padStart(2, "0");

/** Templates users give ModelCheckpoint, for the monitored metric `key`. */
function patterns(key: string): NamePattern[] {
  // A `/` in a name would make a directory: such runs turn auto_insert_metric_name off.
  const slash = key.includes("/");
  const tag = key.replace("/", "_");
  const v = (x: number, d: number) => pyFixed(Math.fround(x), d);
  if (slash) {
    return [
      {
        template: `epoch{epoch:02d}-${tag}{${key}:.2f}`,
        name: (e, _s, x) => `epoch${two(e)}-${tag}${v(x, 2)}`,
      },
      {
        template: `step={step}-${tag}={${key}:.4f}`,
        name: (_e, s, x) => `step=${s}-${tag}=${v(x, 4)}`,
      },
      DEFAULT_PATTERN,
    ];
  }
  return [
    DEFAULT_PATTERN,
    {
      template: `{epoch}-{step}-{${key}:.4f}`,
      name: (e, s, x) => `epoch=${e}-step=${s}-${key}=${v(x, 4)}`,
    },
    {
      template: `{epoch:02d}-{${key}:.2f}`,
      name: (e, _s, x) => `epoch=${two(e)}-${key}=${v(x, 2)}`,
    },
    {
      template: `best-{epoch}-{${key}:.3f}`,
      name: (e, _s, x) => `best-epoch=${e}-${key}=${v(x, 3)}`,
    },
    { template: "{step}", name: (_e, s) => `step=${s}` },
  ];
}

/** Refresh rates people set, kept to those that refresh a few times an epoch at least. */
function refreshRate(rng: Rng, batches: number): number {
  const rate = rng.pick([1, 1, 1, 1, 1, 5, 10, 10, 20, 25, 50, 100]);
  return rate * 4 <= batches ? rate : 1;
}

/** `val_check_interval` as optimizer steps: a fraction that divides the epoch, or a count. */
function valEvery(rng: Rng, cfg: RunConfig): number {
  const n = cfg.stepsPerEpoch;
  if (n >= 2000 && rng.chance(0.7)) {
    return rng.pick([250, 500, 1000, 2000].filter((c) => c * 3 <= n)) ?? 0;
  }
  const fraction = rng.pick([1, 1, 1, 1, 0.5, 0.25]);
  const every = n * fraction;
  return fraction < 1 && Number.isInteger(every) && every >= 4 ? every : 0;
}

/** Held-out shares of a large data set (a small one keeps more, 5–20%). */
const SPLITS = [0.005, 0.01, 0.02, 0.05];

/** Samples that give every rank 200 validation batches (more than any limit takes). */
function perRankFloor(cfg: RunConfig): number {
  return 200 * cfg.plan.microBatch * 2 * cfg.plan.dp;
}

/** Validation samples per pass: a held-out split of the training data, maybe capped. */
function valSamples(rng: Rng, cfg: RunConfig): number {
  // A held-out share of the data, or a fixed set that ships with it.
  const epochSamples = cfg.stepsPerEpoch * cfg.globalBatch;
  const size = cfg.task === "pretrain"
    ? Math.round(epochSamples * 0.005) + perRankFloor(cfg)
    : rng.chance(0.5)
    ? Math.round(epochSamples * rng.pick(epochSamples < 20000 ? [0.05, 0.1, 0.1, 0.2] : SPLITS))
    : rng.pick([500, 1000, 1000, 2000, 5000, 10000]) + rng.int(-60, 60);
  // limit_val_batches=N caps each rank's batches; a fraction takes that share of them.
  const perBatch = cfg.plan.microBatch * 2 * cfg.plan.dp;
  const batches = Math.ceil(size / perBatch);
  // A pre-training corpus's held-out split is far larger than anyone evaluates: a count of
  // batches is set instead.
  const limit = cfg.task === "pretrain"
    ? rng.pick([10, 20, 25, 32, 50, 64, 100, 200])
    : rng.pick([0, 0, 0, 50, 100, 200, 0.1, 0.25]);
  const capped = limit === 0
    ? batches
    : limit < 1
    ? Math.max(1, Math.floor(batches * limit))
    : Math.min(batches, limit);
  return capped * perBatch;
}

/** The script's recipe for `cfg` (its own stream: other draws are untouched). */
export function drawRecipe(cfg: RunConfig): LightningRecipe {
  const rng = createRng(cfg.seed, "style:lightning:recipe");
  const logger: LoggerKind = rng.pick(["tensorboard", "tensorboard", "wandb", "wandb", "csv"]);
  const slash = rng.chance(0.3);
  const base = slash ? "train/loss" : rng.pick(["train_loss", "train_loss", "loss"]);
  const epochLoss = rng.chance(0.35);
  const valLoss = slash ? "val/loss" : "val_loss";
  const valKeys = rng.chance(0.3) ? [valLoss, slash ? "val/ppl" : "val_ppl"] : [valLoss];
  const monitored = rng.chance(0.7);
  const pattern = monitored ? rng.pick(patterns(valLoss)) : DEFAULT_PATTERN;
  const batches = cfg.stepsPerEpoch * cfg.gradAccum;
  const pretrain = cfg.task === "pretrain";
  return {
    logger,
    trainKey: base,
    epochLoss,
    lrKey: rng.chance(0.25) ? rng.pick(["lr", "lr", "learning_rate"]) : null,
    valKeys,
    monitor: monitored ? valLoss : null,
    topK: rng.pick([1, 1, 2, 3, 3, 5, -1]),
    verbose: rng.chance(0.85),
    pattern,
    everySteps: rng.chance(pretrain ? 0.7 : 0.2) ? rng.pick([100, 200, 250, 500, 1000, 2000]) : 0,
    refreshRate: refreshRate(rng, batches),
    sanitySteps: rng.chance(0.85) ? 2 : 0,
    valEvery: valEvery(rng, cfg),
    valSamples: valSamples(rng, cfg),
    stopBy: pretrain || rng.chance(0.25) ? "max_steps" : "max_epochs",
    tokenizesLive: rng.chance(0.2),
  };
}

/**
 * How one Hugging Face job is set up, drawn once per run from its seed: the launcher, the
 * tracker (`report_to`), how the log is captured (stdout buffering, tqdm's width and alphabet),
 * the dataset's row counts behind the optimizer steps, and the transformers release whose
 * call sites (`file.py:line`) and wording its log lines carry.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { validationPlan } from "../sim/phases/train.ts";
import { type HfRelease, hfRelease } from "./hf_release.ts";
import { type LfJob, lfJob } from "./hf_llamafactory.ts";

/** Where metrics go: Weights & Biases, TensorBoard (prints nothing) or nowhere. */
export type ReportTo = "wandb" | "tensorboard" | "none";

/** The run's HF job as its log shows it. */
export interface HfProfile {
  launcher: "torchrun" | "accelerate";
  reportTo: ReportTo;
  /** stdout is block-buffered (no `python -u`): dicts reach the log in bursts. */
  buffered: boolean;
  /** tqdm's line width from COLUMNS, or null for its 10-cell bar. */
  ncols: number | null;
  /** The stream is not UTF-8: tqdm draws `#` bars. */
  ascii: boolean;
  /** `save_total_limit`, or null to keep every checkpoint. */
  saveTotalLimit: number | null;
  /** Rows of the training set and the micro-batches each rank sees per epoch. */
  trainExamples: number;
  microBatchesPerEpoch: number;
  /** Rows of the evaluation set and `per_device_eval_batch_size`. */
  evalExamples: number;
  evalBatch: number;
  /** NCCL_DEBUG=INFO in the job's environment. */
  ncclDebug: boolean;
  /** The script's `--weight_decay` (Python repr) and `--seed`. */
  weightDecay: string;
  seed: number;
  /** The transformers release the job runs. */
  release: HfRelease;
  /** The LLaMA-Factory job around the Trainer, or null for `run_clm.py`. */
  lf: LfJob | null;
}

/** The run's HF job, drawn from its seed and configuration. */
export function hfProfile(cfg: RunConfig): HfProfile {
  const rng = createRng(cfg.seed, "style:hf:profile");
  const p = cfg.plan;
  // ceil(micro-batches / GA) optimizer steps per epoch must equal the simulation's.
  const microBatches = cfg.stepsPerEpoch * cfg.gradAccum - rng.int(0, cfg.gradAccum - 1);
  const perStep = p.microBatch * p.dp;
  const trainExamples = (microBatches - 1) * perStep + rng.int(1, perStep);
  const val = validationPlan(cfg);
  // per_device_eval_batch_size as recipes set it: the train batch, twice it, or a round number
  // (its own stream: the draws below stay as they were).
  const evalBatch = createRng(cfg.seed, "style:hf:eval-batch").pick(
    [p.microBatch, p.microBatch, p.microBatch * 2, 4, 8, 8, 16].filter((b) => b <= 64),
  );
  // The eval set's size is what makes the simulation's batch count: ceil(rows / (b × ranks)).
  const perEval = evalBatch * p.dp;
  const evalExamples = (val.batches - 1) * perEval + rng.int(1, perEval);
  const wide = [100, 120, 140, 157, 177, 200, 238];
  const release = hfRelease(cfg);
  const prof: HfProfile = {
    launcher: cfg.nodes === 1 && rng.chance(0.35) ? "accelerate" : "torchrun",
    reportTo: rng.weighted(["wandb", "tensorboard", "none"] as const, [55, 25, 20]),
    buffered: rng.chance(0.3),
    ncols: rng.chance(0.45) ? null : rng.pick(wide),
    ascii: rng.chance(0.1),
    saveTotalLimit: rng.chance(0.5) ? rng.pick([1, 2, 3, 5]) : null,
    trainExamples,
    microBatchesPerEpoch: microBatches,
    evalExamples,
    evalBatch,
    ncclDebug: rng.chance(0.3),
    ...scriptRecipe(cfg),
    release,
    lf: lfJob(cfg, release),
  };
  // llamafactory-cli starts torchrun itself, and its jobs' logs show stdout as it is written.
  return prof.lf ? { ...prof, launcher: "torchrun", buffered: false, ncclDebug: false } : prof;
}

/** What the script passes besides the run's schedule: weight decay and seed, as recipes do. */
function scriptRecipe(cfg: RunConfig): { weightDecay: string; seed: number } {
  const rng = createRng(cfg.seed, "style:hf:recipe");
  return {
    weightDecay: rng.weighted(["0.0", "0.01", "0.1", "0.05"], [40, 25, 25, 10]),
    seed: rng.weighted([42, 1234, 0, 3407, 2024], [60, 14, 10, 8, 8]),
  };
}

/**
 * Batches of one evaluation on each process: accelerate shards the eval loader's batches over
 * the ranks (even_batches, no drop_last), so ceil(ceil(rows / b) / ranks) = ceil(rows / (b × ranks)).
 */
export function evalBatches(cfg: RunConfig, prof: HfProfile): number {
  return Math.ceil(Math.ceil(prof.evalExamples / prof.evalBatch) / cfg.plan.dp);
}

/** The Trainer's fractional epoch after `step` optimizer steps: counted in micro-batches. */
export function hfEpoch(cfg: RunConfig, prof: HfProfile, step: number): number {
  const epoch = Math.floor((step - 1) / cfg.stepsPerEpoch);
  const inEpoch = step - epoch * cfg.stepsPerEpoch;
  if (inEpoch === cfg.stepsPerEpoch) return epoch + 1;
  return epoch + (inEpoch * cfg.gradAccum) / prof.microBatchesPerEpoch;
}

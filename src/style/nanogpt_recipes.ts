/**
 * The nanoGPT run people really launch on a GPU node: config/train_gpt2.py (GPT-2 124M on
 * OpenWebText, batch_size 12, block_size 1024, gradient_accumulation_steps 5 * 8, max_iters
 * 600000, warmup_iters 2000, eval_interval 1000, eval_iters 200, log_interval 10), with the
 * command-line overrides users add (wandb off, their own out_dir, accumulation for a world size
 * that 40 does not divide). Such a run takes days, so a session of a few minutes is a slice of
 * it: the job started fresh or resumed from out_dir's ckpt.pt, ended by the scheduler's limit.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { DATASETS, findModel } from "../sim/catalog.ts";
import type { PacingRequest } from "../sim/pacing.ts";

/** config/train_gpt2.py's settings. */
export const TRAIN_GPT2 = {
  batchSize: 12,
  blockSize: 1024,
  /** gradient_accumulation_steps = 5 * 8: for the whole world, divided by its size. */
  gradAccum: 40,
  maxIters: 600000,
  lr: 6e-4,
  minLr: 6e-5,
  warmupIters: 2000,
  evalInterval: 1000,
  evalIters: 200,
  logInterval: 10,
} as const;

/** A train_gpt2.py run as launched: its command-line overrides, key and Python value. */
export interface NanoLaunch {
  overrides: [string, string][];
  outDir: string;
}

/** Whether `cfg` is a train_gpt2.py run (the recipe's model and length, not a sized run). */
export function followsTrainGpt2(cfg: RunConfig): boolean {
  return cfg.model.id === "gpt2-124m" && cfg.totalSteps === TRAIN_GPT2.maxIters + 1 &&
    cfg.dataset.id === "openwebtext";
}

/** gradient_accumulation_steps the run needs: 40, or the user's nearest multiple of the world. */
function worldAccum(world: number): number {
  return TRAIN_GPT2.gradAccum % world === 0
    ? TRAIN_GPT2.gradAccum
    : Math.max(1, Math.round(TRAIN_GPT2.gradAccum / world)) * world;
}

/** The overrides the user typed after the config file (configurator.py prints each). */
export function nanoLaunch(cfg: RunConfig): NanoLaunch {
  const rng = createRng(cfg.seed, "style:nanogpt:launch");
  const overrides: [string, string][] = [];
  if (rng.chance(0.6)) overrides.push(["wandb_log", "False"]);
  const outDir = rng.pick(["out", "out", "out-owt", "out-gpt2", "out_gpt2_124M"]);
  if (outDir !== "out") overrides.push(["out_dir", outDir]);
  const accum = worldAccum(cfg.worldSize);
  if (accum !== TRAIN_GPT2.gradAccum) overrides.push(["gradient_accumulation_steps", `${accum}`]);
  return { overrides, outDir };
}

/**
 * nanoGPT's running MFU on this GPU, a range: about a third of the A100's 312 TFLOP/s there, and
 * what plain PyTorch gains on faster parts (a good deal less than their peak).
 */
function mfuRange(cfg: RunConfig): [number, number] {
  const speed = Math.min(1.35, (cfg.gpu.bf16Tflops / 312) ** 0.6);
  return [0.31 * speed, 0.42 * speed];
}

/**
 * The pacing of a train_gpt2.py run as a slice of a few minutes: its batch and schedule, a step
 * time that gives nanoGPT's usual MFU, and where the slice starts and ends.
 */
export function nanogptRecipe(cfg: RunConfig): PacingRequest {
  const rng = createRng(cfg.seed, "style:nanogpt:slice");
  const t = TRAIN_GPT2;
  const model = findModel("gpt2-124m")!;
  const accum = worldAccum(cfg.worldSize) / cfg.worldSize;
  // estimate_mfu()'s FLOPs for one iteration of one GPU (N without the position embeddings).
  const n = 123.59e6, c = model.hidden, l = model.layers;
  const perIter = (6 * n + 12 * l * c * t.blockSize) * t.blockSize * t.batchSize * accum;
  const [lo, hi] = mfuRange(cfg);
  const stepS = perIter / (312e12 * rng.range(lo, hi));
  const resumeStep = rng.chance(0.4) ? 0 : t.evalInterval * rng.int(2, 60);
  const recipe: PacingRequest["recipe"] = {
    task: "pretrain",
    model,
    dataset: DATASETS.find((d) => d.id === "openwebtext"),
    nodes: 1,
    epochs: 1,
    stepsPerEpoch: t.maxIters + 1,
    ckptInterval: t.evalInterval,
    resumeStep,
    timeLimitS: rng.range(170, 255),
    logInterval: t.logInterval,
    scenario: "time_limit",
  };
  // The run drawn before the recipe only learns which run to draw instead.
  if (!followsTrainGpt2(cfg)) return { recipe };
  return {
    recipe,
    lr: { max: t.lr, min: t.minLr, warmupSteps: t.warmupIters },
    batch: { micro: t.batchSize, accum },
    stepSeconds: stepS,
    evalInterval: t.evalInterval,
    ckptInterval: t.evalInterval,
    logInterval: t.logInterval,
    exports: false,
  };
}

/**
 * The llm.c runs people really launch, from the repository's GPT-2 reproductions: 124M on
 * FineWeb 10B (`-b 64 -t 1024 -d 524288 -l 0.0006 -q 0.0 -u 700 -n 5000 -v 250 -s 20000 -h 1`,
 * 19,560 steps) and 1558M on FineWeb-Edu 100B (`-b 16 -d 1048576 -q 0.1 -n 2000 -x 32000`). Such
 * a run lasts hours to days, so a session of a few minutes shows a slice of it: the job started
 * fresh or resumed (`-y 1`) from one of its checkpoints, and ended by the scheduler's time limit.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { DATASETS, findModel } from "../sim/catalog.ts";
import type { PacingRequest } from "../sim/pacing.ts";
import { flopsPerToken, llmcParams, paddedVocab, promisedTflops } from "./llmc_numbers.ts";

/** The command-line flags of a run that the parameter table reports. */
export interface LlmcFlags {
  /** `-x`: -1 lets the data decide (train_num_batches = train tokens / total batch). */
  maxSteps: number;
  /** `-v`, `-s`, `-g`, `-n`. */
  valEvery: number;
  sampleEvery: number;
  genT: number;
  ckptEvery: number;
}

/** One reproduction's command line. */
interface LlmcRecipe {
  model: string;
  dataset: string;
  /** train_num_batches the run gets. */
  steps: number;
  flags: LlmcFlags;
  lr: number;
  finalFrac: number;
  warmup: number;
  /** Tokens a step takes, all processes together (`-d`). */
  totalBatch: number;
  /** Training loss the run's curve reaches at its last step (its validation reads ~0.025 more). */
  endLoss?: number;
  /** Range of llm.c's own MFU a steady step reaches on an A100 and on an H100. */
  mfu: { ampere: [number, number]; hopper: [number, number] };
}

const GPT2_124M: LlmcRecipe = {
  model: "gpt2-124m",
  dataset: "fineweb-10b",
  steps: 19560,
  flags: { maxSteps: -1, valEvery: 250, sampleEvery: 20000, genT: 64, ckptEvery: 5000 },
  lr: 6e-4,
  finalFrac: 0,
  warmup: 700,
  totalBatch: 524288,
  endLoss: 3.255,
  mfu: { ampere: [0.48, 0.58], hopper: [0.36, 0.44] },
};

const GPT2_1558M: LlmcRecipe = {
  model: "gpt2-1.5b",
  dataset: "fineweb-edu",
  steps: 32000,
  flags: { maxSteps: 32000, valEvery: 250, sampleEvery: 300000, genT: 384, ckptEvery: 2000 },
  lr: 6e-4,
  finalFrac: 0.1,
  warmup: 700,
  totalBatch: 1048576,
  mfu: { ampere: [0.5, 0.56], hopper: [0.44, 0.48] },
};

/**
 * The reproduction a run of this seed and GPU follows (its GPU alone decides, so that the run
 * drawn again as the recipe names the same one): the 1558M run was an H100 job.
 */
function recipeFor(cfg: RunConfig): LlmcRecipe {
  const rng = createRng(cfg.seed, "style:llmc:recipe");
  return cfg.gpu.id.startsWith("h100") && rng.chance(0.3) ? GPT2_1558M : GPT2_124M;
}

/** Whether `cfg` is the run its reproduction draws (not a run the user sized). */
export function followsRecipe(cfg: RunConfig): boolean {
  const r = recipeFor(cfg);
  return cfg.model.id === r.model && cfg.totalSteps === r.steps;
}

/** The flags of the run's command line: its reproduction's, or ones that fit a sized run. */
export function llmcFlags(cfg: RunConfig): LlmcFlags {
  if (followsRecipe(cfg)) return recipeFor(cfg).flags;
  const rng = createRng(cfg.seed, "style:llmc:flags:sized");
  return {
    maxSteps: cfg.totalSteps,
    valEvery: cfg.totalSteps < 2500 ? 100 : 250,
    sampleEvery: 0,
    genT: rng.pick([64, 64, 144, 256]),
    ckptEvery: cfg.ckptInterval,
  };
}

/** The micro-batch `-b` a GPU of this memory runs the model with. */
function microBatch(r: LlmcRecipe, memMiB: number): number {
  if (r.model === "gpt2-1.5b") return 16;
  return memMiB >= 80000 ? 64 : 32;
}

/**
 * The pacing of a reproduction run as a slice of a few minutes: its batch, learning rates, step
 * time (from llm.c's own MFU against its GPU table) and where the slice starts and ends.
 */
export function llmcRecipe(cfg: RunConfig): PacingRequest {
  const r = recipeFor(cfg);
  const rng = createRng(cfg.seed, "style:llmc:slice");
  const model = findModel(r.model)!;
  const b = microBatch(r, cfg.gpu.memMiB), t = 1024;
  const world = cfg.worldSize;
  const accum = Math.max(1, Math.round(r.totalBatch / (b * t * world)));
  const shape = {
    layers: model.layers,
    heads: model.heads,
    channels: model.hidden,
    vocab: model.vocab,
    paddedVocab: paddedVocab(model.vocab),
    maxSeqLen: t,
  };
  const promised = promisedTflops(cfg.gpu.name);
  const peak = (promised > 0 ? promised : cfg.gpu.bf16Tflops) * 1e12;
  const perGpuFlops = flopsPerToken(shape, llmcParams(shape), t) * b * t * accum;
  const [lo, hi] = peak > 500e12 ? r.mfu.hopper : r.mfu.ampere;
  const stepS = perGpuFlops / (peak * rng.range(lo, hi));
  const saves = Math.floor((r.steps - 1) / r.flags.ckptEvery);
  const resumeStep = rng.chance(0.35) ? 0 : r.flags.ckptEvery * rng.int(1, saves);
  const recipe: PacingRequest["recipe"] = {
    task: "pretrain",
    model,
    dataset: DATASETS.find((d) => d.id === r.dataset),
    nodes: 1,
    epochs: 1,
    stepsPerEpoch: r.steps,
    ckptInterval: r.flags.ckptEvery,
    resumeStep,
    timeLimitS: rng.range(165, 255),
    logInterval: 1,
    scenario: "time_limit",
  };
  // The run drawn before the recipe only learns which run to draw instead.
  if (!followsRecipe(cfg)) return { recipe };
  return {
    recipe,
    lr: { max: r.lr, min: r.lr * r.finalFrac, warmupSteps: r.warmup },
    batch: { micro: b, accum },
    stepSeconds: stepS,
    evalInterval: r.flags.valEvery,
    exports: false,
    ...(r.endLoss ? { targetLoss: r.endLoss + rng.range(-0.008, 0.008) } : {}),
  };
}

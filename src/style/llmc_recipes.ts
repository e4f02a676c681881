/**
 * The llm.c runs people really launch, from the repository's GPT-2 reproductions: 124M on
 * FineWeb 10B as the README walks through it (19,560 steps) or as scripts/run_gpt2_124M.sh
 * runs it (18,865), on one GPU or a node; 350M and 774M on FineWeb 100B (`-x 60000`,
 * `-x 286102`); 1558M on FineWeb-Edu 100B (`-b 16 -d 1048576 -q 0.1 -n 2000 -x 32000`). Such a
 * run lasts hours to days, so a session of a few minutes shows a slice of it: the job started
 * fresh or resumed (`-y 1`) from one of its checkpoints, and ended by the scheduler's time limit.
 */
import { GB200_GPUS_PER_NODE, type RunConfig } from "../sim/run_config.ts";
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

/** The 124M run as the README's walk-through gives it (steps counted by the data it used). */
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

/** The 124M run as scripts/run_gpt2_124M.sh gives it: longer samples, its own shard count. */
const GPT2_124M_SCRIPT: LlmcRecipe = {
  ...GPT2_124M,
  steps: 18865,
  flags: { ...GPT2_124M.flags, genT: 144 },
  endLoss: 3.27,
};

/** scripts/run_gpt2_350M.sh: d24 on FineWeb 100B, 60,000 steps. */
const GPT2_350M: LlmcRecipe = {
  model: "gpt2-355m",
  dataset: "fineweb",
  steps: 60000,
  flags: { maxSteps: 60000, valEvery: 250, sampleEvery: 100000, genT: 144, ckptEvery: 2000 },
  lr: 3e-4,
  finalFrac: 0,
  warmup: 700,
  totalBatch: 524288,
  mfu: { ampere: [0.5, 0.58], hopper: [0.4, 0.46] },
};

/** scripts/run_gpt2_774M.sh: d36 on FineWeb 100B, 286,102 steps (150B tokens). */
const GPT2_774M: LlmcRecipe = {
  model: "gpt2-774m",
  dataset: "fineweb",
  steps: 286102,
  flags: { maxSteps: 286102, valEvery: 250, sampleEvery: 300000, genT: 144, ckptEvery: 4000 },
  lr: 2.5e-4,
  finalFrac: 0,
  warmup: 700,
  totalBatch: 524288,
  mfu: { ampere: [0.5, 0.58], hopper: [0.42, 0.48] },
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
 * drawn again as the recipe names the same one): most people run the 124M, in the README's or
 * the script's form; the larger ones need a node of large GPUs, and the 1558M was an H100 job.
 */
function recipeFor(cfg: RunConfig): LlmcRecipe {
  const rng = createRng(cfg.seed, "style:llmc:recipe");
  const big = cfg.gpu.memMiB >= 40000;
  const options: Array<[LlmcRecipe, number]> = [
    [GPT2_124M, 0.42],
    [GPT2_124M_SCRIPT, 0.3],
    [GPT2_350M, big ? 0.14 : 0],
    [GPT2_774M, big ? 0.07 : 0],
    [GPT2_1558M, cfg.gpu.id.startsWith("h100") ? 0.12 : 0],
  ];
  return rng.weighted(options.map(([r]) => r), options.map(([, w]) => w));
}

/**
 * GPUs the run uses on its one node: the 124M is also run on a single GPU or a few (a day or
 * more), the larger ones on a full node.
 */
function gpusFor(cfg: RunConfig, r: LlmcRecipe): number {
  const node = cfg.gpu.id === "gb200" ? GB200_GPUS_PER_NODE : 8;
  if (r.model !== "gpt2-124m") return node;
  const n = createRng(cfg.seed, "style:llmc:gpus").weighted([1, 2, 4, 8], [0.22, 0.08, 0.15, 0.55]);
  return Math.min(n, node);
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
  if (r.model === "gpt2-774m") return memMiB >= 80000 ? 32 : 16;
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
    gpusPerNode: gpusFor(cfg, r),
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

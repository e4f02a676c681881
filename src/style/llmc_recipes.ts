/**
 * The llm.c runs people really launch, from the repository's GPT-2 reproductions: 124M on
 * FineWeb 10B as the README walks through it (19,560 steps) or as scripts/run_gpt2_124M.sh
 * runs it (18,865), on one GPU or a node; 350M and 774M on FineWeb 100B (`-x 60000`,
 * `-x 286102`); 1558M on FineWeb-Edu 100B (`-b 16 -d 1048576 -q 0.1 -n 2000 -x 32000`). Such a
 * run lasts hours to days, so a session of a few minutes shows a slice of it: the job started
 * fresh or resumed (`-y 1`) from one of its checkpoints, and ended by the scheduler's time limit.
 */
import recipesJson from "../../data/llmc_recipes.json" with { type: "json" };
import { DEFAULT_GPUS_PER_NODE, GB200_GPUS_PER_NODE, type RunConfig } from "../sim/run_config.ts";
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

/** One reproduction as data/llmc_recipes.json records it, with when a run draws it. */
interface RecipeEntry extends LlmcRecipe {
  weight: number;
  /** Smallest GPU memory the recipe's batch fits in, MiB. */
  minMemMiB?: number;
  /** GPU ids (prefixes) the reproduction was run on; omitted: any. */
  gpus?: string[];
}

const RECIPES: readonly RecipeEntry[] = recipesJson as unknown as RecipeEntry[];

/**
 * The reproduction a run of this seed and GPU follows (its GPU alone decides, so that the run
 * drawn again as the recipe names the same one): most people run the 124M, in the README's or
 * the script's form; the larger ones need large GPUs, and the 1558M was an H100 job.
 */
function recipeFor(cfg: RunConfig): LlmcRecipe {
  const rng = createRng(cfg.seed, "style:llmc:recipe");
  const fits = (r: RecipeEntry) =>
    cfg.gpu.memMiB >= (r.minMemMiB ?? 0) &&
    (r.gpus === undefined || r.gpus.some((g) => cfg.gpu.id.startsWith(g)));
  const r = rng.weighted(RECIPES, RECIPES.map((r) => (fits(r) ? r.weight : 0)));
  // Many people keep the script's `-n`; others save more often on a shared cluster.
  const own = createRng(cfg.seed, "style:llmc:ckpt");
  const others = [1000, 2000, 2500, 3000, 4000].filter((n) =>
    n !== r.flags.ckptEvery && n < r.steps / 2
  );
  if (others.length === 0 || own.chance(0.5)) return r;
  return { ...r, flags: { ...r.flags, ckptEvery: own.pick(others) } };
}

/**
 * GPUs the run uses on its one node: the 124M is also run on a single GPU or a few (a day or
 * more), the larger ones on a full node.
 */
function gpusFor(cfg: RunConfig, r: LlmcRecipe): number {
  const node = cfg.gpu.id === "gb200" ? GB200_GPUS_PER_NODE : DEFAULT_GPUS_PER_NODE;
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

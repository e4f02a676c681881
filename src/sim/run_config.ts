/**
 * One run, one story: draws the whole run configuration (model, cluster, dataset and
 * hyperparameters) from the seed and the user's choices, so every line agrees with every other.
 */
import {
  DATASETS,
  type DatasetSpec,
  GPUS,
  type GpuSpec,
  MODELS,
  type ModelSpec,
  type Precision,
} from "./catalog.ts";
import { createRng, type Rng } from "./rng.ts";
import { candidateStrategies, type ParallelPlan, planParallelism } from "./model/plan.ts";
import type { ScheduleKind } from "./model/schedule.ts";
import { flopsPerToken, peakTflops, tokensPerSec } from "./model/throughput.ts";
import { busBandwidthGBps } from "./model/comm.ts";
import { type ClusterNames, drawCluster } from "./names.ts";
import { applyPacing, DEFAULT_PACING, type Pacing, type PacingRequest } from "./pacing.ts";
import { withDriver } from "./gpu_host.ts";
import { dataPathOn, drawRunNames } from "./run_names.ts";
import { finetuneRecipe } from "./recipe.ts";

/** Characters per token of a tokenizer with `vocab` entries on English web text (larger: fewer). */
function charsPerToken(vocab: number): number {
  return 3 + 0.3 * Math.log(vocab / 1000);
}

/**
 * The data set as this model's tokenizer reads it: its token count (the catalogue counts GPT-2
 * tokens) scaled by how many characters a token of this tokenizer holds. Idempotent: a data set
 * handed back by a scenario is counted from the catalogue's entry again.
 */
function tokenizedFor(dataset: DatasetSpec, vocab: number): DatasetSpec {
  const base = DATASETS.find((d) => d.id === dataset.id) ?? dataset;
  const tokens = Math.round(base.tokens * charsPerToken(50257) / charsPerToken(vocab));
  return { ...dataset, tokens, path: base.path };
}

/** How often things go wrong: never, now and then (the default), or everything at least once. */
export type ChaosLevel = "off" | "low" | "high";

/** What the user fixed; everything left undefined is drawn from the seed. */
export interface RunChoices {
  seed: number;
  startMs: number;
  /** Fault rate; "low" when undefined. */
  chaos?: ChaosLevel;
  /** Steps between logged steps (default: about 1,200 logged steps per run). */
  logInterval?: number;
  /** Start from a checkpoint of an earlier run of the same job. */
  resume?: boolean;
  gpu?: GpuSpec;
  model?: ModelSpec;
  dataset?: DatasetSpec;
  nodes?: number;
  /** GPUs in each node, 1 to 8 (default 8). */
  gpusPerNode?: number;
  epochs?: number;
  /** Pre-training or fine-tuning (default: from the dataset, else drawn). */
  task?: "pretrain" | "finetune";
  /** The models a drawn model comes from (default: every real preset). */
  models?: readonly ModelSpec[];
  /** Optimizer steps in each epoch (default: from the dataset and the batch). */
  stepsPerEpoch?: number;
  /** Steps between checkpoints (default: 5 to 9 saves per run). */
  ckptInterval?: number;
  /** The checkpoint step to resume from (default with `resume`: drawn). */
  resumeStep?: number;
  /** Simulated seconds after the launch at which the scheduler ends the job (default: none). */
  timeLimitS?: number;
  /** The story a run drawn to fit a few minutes of wall time tells. */
  scenario?: ScenarioKind;
  /**
   * The pacing the run's training script asks for, given the drawn run (a framework style's
   * cadence: log and evaluation intervals, first-step cost); undefined keeps the defaults.
   */
  pacing?: (cfg: RunConfig) => PacingRequest | undefined;
}

/** The frozen description of one simulated training run. */
export interface RunConfig {
  seed: number;
  startMs: number;
  runId: string;
  task: "pretrain" | "finetune";
  model: ModelSpec;
  gpu: GpuSpec;
  dataset: DatasetSpec;
  nodes: number;
  gpusPerNode: number;
  worldSize: number;
  cluster: ClusterNames;
  plan: ParallelPlan;
  precision: Precision;
  seqLen: number;
  gradAccum: number;
  globalBatch: number;
  tokensPerStep: number;
  epochs: number;
  stepsPerEpoch: number;
  totalSteps: number;
  lrMax: number;
  lrMin: number;
  warmupSteps: number;
  /** The ratio of the run the warm-up was given as (a fine-tune's recipe), 0 when in steps. */
  warmupRatio: number;
  schedule: ScheduleKind;
  logInterval: number;
  ckptInterval: number;
  /** Model FLOPs utilisation of a steady step, against the precision's peak. */
  mfu: number;
  flopsPerToken: number;
  peakTflops: number;
  tokensPerSecond: number;
  busbwGBps: number;
  storagePerNodeGBps: number;
  storageCapGBps: number;
  outputDir: string;
  chaos: ChaosLevel;
  /** Checkpoint step the run resumes from (`--resume`), 0 for a fresh start. */
  resumeStep: number;
  /** Simulated instant at which the scheduler's time limit ends the job, or null. */
  timeLimitMs: number | null;
  /** The story of a run drawn to fit a few minutes of wall time, or null for a whole run. */
  scenario: ScenarioKind | null;
  /** The training script's rhythm (src/sim/pacing.ts). */
  pacing: Pacing;
}

/**
 * Stories a run that fits a few minutes of wall time can tell: a short fine-tune, a small
 * pre-training run, the last stretch of a long run resumed near its end, or a long run the
 * scheduler's time limit ends.
 */
export type ScenarioKind = "finetune" | "small_pretrain" | "resume_tail" | "time_limit";

/** Raised when the user's fixed choices cannot make a run (the message names the flag). */
export class ConfigError extends Error {}

/** GPUs per node unless the user asks for fewer (an HGX/DGX board). */
export const DEFAULT_GPUS_PER_NODE = 8;
/** A GB200 NVL72 compute tray carries four GPUs (two Grace-Blackwell superchips). */
export const GB200_GPUS_PER_NODE = 4;
const GPU_WEIGHTS: Record<string, number> = {
  "h100-sxm": 40,
  "a100-80gb": 18,
  "h200": 12,
  "b200": 8,
  "gb200": 4,
  "mi300x": 6,
  "a100-40gb": 5,
  "h100-pcie": 3,
  "l40s": 2,
  "a100-pcie": 1,
  "v100": 1,
};
const NODE_CHOICES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
const NODE_WEIGHTS = [4, 6, 10, 22, 16, 12, 8, 6, 4, 2, 1];
/** Fine-tunes run on a node or a few: a team rarely gives one more than a few dozen nodes. */
const FINETUNE_NODE_CHOICES = [1, 2, 4, 8, 16, 32];
const FINETUNE_NODE_WEIGHTS = [10, 14, 16, 14, 6, 2];

function pickGpu(rng: Rng): GpuSpec {
  return rng.weighted(GPUS, GPUS.map((g) => GPU_WEIGHTS[g.id] ?? 1));
}

/** A model size that suits the cluster for the task, as a log-normal preference weight. */
function modelWeight(m: ModelSpec, worldSize: number, task: string): number {
  const ideal = task === "pretrain" ? 1.25e8 * worldSize : 4e8 * worldSize;
  const z = Math.log(m.params / ideal) / 1.3;
  return Math.exp(-0.5 * z * z) * (m.real ? 1 : 0.6);
}

/** The hardware a plan is made for: GPU type, GPUs per node and node count. */
interface Hardware {
  gpu: GpuSpec;
  gpusPerNode: number;
}

function planFor(
  model: ModelSpec,
  hw: Hardware,
  nodes: number,
  seqLen: number,
  rng: Rng,
  maxMicroTokens?: number,
) {
  const gpu = hw.gpu;
  return planParallelism({
    ...model,
    seqLen,
    worldSize: nodes * hw.gpusPerNode,
    gpusPerNode: hw.gpusPerNode,
    memGiB: gpu.memMiB / 1024,
    strategies: candidateStrategies(model.params, (n) => rng.int(0, n - 1)),
    maxMicroTokens,
  });
}

/**
 * The most tokens a run's per-device micro batch holds, as its author set it: fine-tunes a few
 * sequences (per_device_train_batch_size 1 to 8), pre-training up to a few dozen thousand tokens.
 * Drawn from its own stream, so the rest of the run's draw does not move with it.
 */
function microTokensCap(seed: number, task: string): number {
  const rng = createRng(seed, "micro-batch");
  return task === "pretrain"
    ? rng.pick([16_384, 32_768, 32_768, 65_536, 131_072])
    : rng.pick([2_048, 4_096, 8_192, 8_192, 16_384, 32_768]);
}

function pickSeqLen(model: ModelSpec, task: string, rng: Rng): number {
  const options = (task === "pretrain" ? [2048, 4096, 4096, 8192] : [2048, 4096])
    .filter((s) => s <= model.ctx);
  return options.length ? rng.pick(options) : model.ctx;
}

/** Smallest node count on which `model` fits `gpu`, for the error message. */
function minimumNodes(model: ModelSpec, hw: Hardware, seqLen: number, rng: Rng): number {
  for (let nodes = 1; nodes <= 16384; nodes *= 2) {
    if (planFor(model, hw, nodes, seqLen, rng)) return nodes;
  }
  return Infinity;
}

/** Steps between checkpoints: the user's, or a round number giving 5 to 9 saves a run. */
function ckptInterval(choices: RunChoices, totalSteps: number, rng: Rng): number {
  const saves = rng.int(5, 9);
  return choices.ckptInterval ?? niceInterval(totalSteps / saves);
}

/** The first round number (1, 2, 5, 10, 20, 25, 50, …) at or above `raw`. */
export function niceInterval(raw: number): number {
  const nice = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000];
  return nice.find((n) => n >= raw) ?? 10000;
}

/**
 * The checkpoint a resumed run starts from: a multiple of the save interval in the first three
 * quarters of the run, never on an epoch boundary (drawn from its own stream, so a run without
 * `--resume` draws nothing).
 */
export function drawResumeStep(
  seed: number,
  totalSteps: number,
  ckptInterval: number,
  stepsPerEpoch: number,
): number {
  const saves: number[] = [];
  for (let step = ckptInterval; step < totalSteps * 0.75; step += ckptInterval) {
    if (step % stepsPerEpoch !== 0) saves.push(step);
  }
  if (saves.length === 0) return Math.max(1, Math.floor(totalSteps / 2));
  return createRng(seed, "resume").pick(saves);
}

function roundLr(lr: number): number {
  return Number(lr.toPrecision(2));
}

function pickPrecision(gpu: GpuSpec, task: string, rng: Rng): Precision {
  if (!gpu.precisions.includes("bf16")) return "fp16";
  const hopper = gpu.precisions.includes("fp8");
  if (hopper && task === "pretrain" && rng.chance(0.25)) return "fp8";
  // fp16 with a loss scaler lives on in older recipes; on Hopper and later almost nobody uses it.
  return rng.chance(hopper ? 0.015 : 0.08) ? "fp16" : "bf16";
}

/** Share of runs without a fixed model that train a mixture-of-experts preset. */
const MOE_CHANCE = 0.12;

/**
 * Now and then a mixture-of-experts model that fits the cluster, from a stream of its own so
 * that the draws of every other run stay as they were; null for a dense run.
 */
function drawMoe(
  seed: number,
  hw: Hardware,
  nodes: number,
  task: string,
): { model: ModelSpec; seqLen: number; plan: ParallelPlan } | null {
  const rng = createRng(seed, "moe");
  if (!rng.chance(MOE_CHANCE)) return null;
  const experts = MODELS.filter((m) => m.moe);
  const model = rng.weighted(
    experts,
    experts.map((m) => modelWeight(m, nodes * hw.gpusPerNode, task)),
  );
  const seqLen = pickSeqLen(model, task, rng);
  const plan = planFor(model, hw, nodes, seqLen, rng, microTokensCap(seed, task));
  return plan ? { model, seqLen, plan } : null;
}

/** Draws a complete run from the seed and the user's fixed choices. */
export function drawRunConfig(choices: RunChoices): RunConfig {
  const rng = createRng(choices.seed, "config");
  const gpu = choices.gpu ?? pickGpu(rng);
  const drawnTask: "pretrain" | "finetune" = rng.chance(0.62) ? "pretrain" : "finetune";
  const task = choices.dataset?.kind ?? choices.task ?? drawnTask;
  let nodes = choices.nodes ??
    (task === "finetune"
      ? rng.weighted(FINETUNE_NODE_CHOICES, FINETUNE_NODE_WEIGHTS)
      : rng.weighted(NODE_CHOICES, NODE_WEIGHTS));
  const gpusPerNode = choices.gpusPerNode ??
    (gpu.id === "gb200" ? GB200_GPUS_PER_NODE : DEFAULT_GPUS_PER_NODE);
  const hw: Hardware = { gpu, gpusPerNode };
  let model = choices.model;
  let seqLen = 0;
  let plan: ParallelPlan | null = null;
  if (model) {
    seqLen = pickSeqLen(model, task, rng);
    // A fixed model without a fixed cluster gets the smallest drawn cluster it fits on.
    if (choices.nodes === undefined) nodes = Math.max(nodes, minimumNodes(model, hw, seqLen, rng));
    plan = planFor(model, hw, nodes, seqLen, rng, microTokensCap(choices.seed, task));
    if (!plan) {
      const need = minimumNodes(model, hw, seqLen, rng);
      throw new ConfigError(
        `--model ${model.id} does not fit on ${nodes * gpusPerNode} × ${gpu.name}` +
          (Number.isFinite(need) ? `; it needs --nodes ${need} or more` : "; pick a larger GPU"),
      );
    }
  } else {
    // Drawn runs use real presets only (the others are there for users who ask for them);
    // mixture-of-experts presets weigh nothing here: their own stream picks them below.
    const pool = choices.models ?? MODELS.filter((m) => m.real);
    const weights = pool.map((m) => (m.moe ? 0 : modelWeight(m, nodes * gpusPerNode, task)));
    for (let attempt = 0; attempt < 64 && !plan; attempt++) {
      model = rng.weighted(pool, weights);
      seqLen = pickSeqLen(model, task, rng);
      plan = planFor(model, hw, nodes, seqLen, rng, microTokensCap(choices.seed, task));
    }
    if (!plan || !model) {
      throw new ConfigError(`--nodes ${nodes} with --gpu ${gpu.id} is too small for any model`);
    }
    // A pool the caller chose (a run fitted to a few minutes) is kept as it is.
    const moe = choices.models ? null : drawMoe(choices.seed, hw, nodes, task);
    if (moe) ({ model, seqLen, plan } = moe);
  }

  const worldSize = nodes * gpusPerNode;
  // Drawn runs use real presets only; samples of a larger dataset run only when asked for.
  const datasets = DATASETS.filter((d) => d.kind === task && d.real && !d.sampleOf);
  const dataset = tokenizedFor(
    choices.dataset ?? rng.pick(datasets.length ? datasets : DATASETS),
    model.vocab,
  );
  const precision = pickPrecision(gpu, task, rng);
  const microTokens = plan.microBatch * seqLen * plan.dp;
  const targetTokens = task === "pretrain"
    ? (model.params < 1.5e9
      ? 5.24e5
      : model.params < 1e10
      ? 1.05e6
      : model.params < 1e11
      ? 2.1e6
      : 4.2e6)
    : seqLen * rng.pick([64, 128, 128, 256]);
  const gradAccum = Math.max(1, Math.round(targetTokens / microTokens));
  const globalBatch = plan.microBatch * plan.dp * gradAccum;
  const tokensPerStep = globalBatch * seqLen;

  const epochs = choices.epochs ??
    (task === "pretrain" ? rng.pick([1, 1, 2, 3]) : rng.pick([2, 3, 3, 4]));
  const drawnSteps = rng.int(1500, 9000);
  const stepsPerEpoch = choices.stepsPerEpoch ??
    (task === "pretrain"
      ? Math.max(400, Math.min(9000, Math.round(dataset.tokens / tokensPerStep), drawnSteps))
      : Math.max(30, Math.min(3000, Math.ceil(dataset.tokens / tokensPerStep))));
  const totalSteps = stepsPerEpoch * epochs;
  const recipe = finetuneRecipe(choices.seed, totalSteps);
  const warmupSteps = task === "pretrain"
    ? Math.min(2000, Math.max(50, Math.round(totalSteps * rng.range(0.01, 0.03))))
    : recipe.warmupSteps;
  const lrMax = task === "pretrain"
    ? roundLr(
      (model.params < 1.5e9
        ? 6e-4
        : model.params < 1e10
        ? 3e-4
        : model.params < 1e11
        ? 1.5e-4
        : 8e-5) *
        rng.range(0.8, 1.2),
    )
    // A fine-tune's rate is its recipe's; the draw it once made is kept so later ones stay.
    : (rng.next(), recipe.lrMax);
  const lrMin = task === "pretrain" ? roundLr(lrMax * 0.1) : 0;

  const peak = peakTflops(gpu, precision);
  // A token passes through its experts only: FLOPs follow the active parameters.
  const fpt = flopsPerToken(model.moe?.active ?? model.params, model.layers, model.hidden, seqLen);
  const sizeFactor = model.params < 1e9 ? 0.8 : model.params < 5e9 ? 0.92 : 1;
  const shardFactor = plan.strategy === "zero3" || plan.strategy === "fsdp" ? 0.93 : 1;
  const scaleFactor = 1 - 0.012 * Math.log2(nodes);
  const fp8Factor = precision === "fp8" ? 0.62 : 1;
  const recomputeFactor = plan.recompute === "full" ? 0.85 : 1;
  // Routing, token dispatch and small expert GEMMs cost MoE runs a share of their utilisation.
  const moeFactor = model.moe ? 0.72 : 1;
  const mfu = rng.range(gpu.mfu[0], gpu.mfu[1]) * sizeFactor * shardFactor * scaleFactor *
    fp8Factor * recomputeFactor * moeFactor;
  // The nodes' driver is drawn on its own stream: the draws above and below stay as they were.
  const nodeGpu = withDriver(gpu, choices.seed);
  const cluster = drawCluster(rng, nodes, nodeGpu, gpusPerNode);
  const cfg: RunConfig = {
    seed: choices.seed,
    startMs: choices.startMs,
    runId: "",
    task,
    model,
    gpu: nodeGpu,
    dataset: { ...dataset, path: dataPathOn(dataset.path, cluster.data, cluster.scheme.kind) },
    nodes,
    gpusPerNode,
    worldSize,
    cluster,
    plan,
    precision,
    seqLen,
    gradAccum,
    globalBatch,
    tokensPerStep,
    epochs,
    stepsPerEpoch,
    totalSteps,
    lrMax,
    lrMin,
    warmupSteps,
    warmupRatio: task === "pretrain" ? 0 : recipe.warmupRatio,
    schedule: task === "pretrain" && rng.chance(0.2) ? "wsd" : "cosine",
    logInterval: choices.logInterval ?? niceInterval(totalSteps / 1200),
    ckptInterval: ckptInterval(choices, totalSteps, rng),
    mfu,
    flopsPerToken: fpt,
    peakTflops: peak,
    tokensPerSecond: tokensPerSec(mfu, peak, worldSize, fpt),
    busbwGBps: busBandwidthGBps(gpu, nodes),
    storagePerNodeGBps: rng.range(2, 6),
    storageCapGBps: rng.pick([120, 250, 400, 1000]),
    outputDir: "",
    chaos: choices.chaos ?? "low",
    resumeStep: choices.resumeStep ?? 0,
    timeLimitMs: choices.timeLimitS === undefined
      ? null
      : choices.startMs + choices.timeLimitS * 1000,
    scenario: choices.scenario ?? null,
    pacing: DEFAULT_PACING,
  };
  applyPacing(cfg, choices.pacing?.(cfg), choices.logInterval, choices.ckptInterval);
  if (choices.resume && choices.resumeStep === undefined) {
    cfg.resumeStep = drawResumeStep(cfg.seed, totalSteps, cfg.ckptInterval, stepsPerEpoch);
  }
  Object.assign(
    cfg,
    drawRunNames(createRng(choices.seed, "names:run"), cluster.ckptRoot, {
      modelId: model.id,
      hfRepo: model.hf ?? model.id,
      datasetId: dataset.id,
      task,
      lr: cfg.lrMax,
      globalBatch,
      epochs,
      seqLen,
      seed: choices.seed,
      startMs: choices.startMs,
    }),
  );
  return cfg;
}

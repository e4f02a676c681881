/**
 * The modded-nanogpt records a speedrun replays (data/speedrun_eras.json, each read off its own
 * logs): each era's step count, validation cadence and losses, step time on 8 × H100 and the
 * script's own habits (its clock, its header, its last line). A run drawn without sizing flags
 * replays one of them whole: a record is itself a job of a few minutes, so it is never shrunk;
 * on other GPUs its steps take longer, as they would.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { findModel } from "../sim/catalog.ts";
import { DATASETS } from "../sim/catalog.ts";
import type { PacingRequest } from "../sim/pacing.ts";
import type { GpuSpec } from "../sim/catalog.ts";
import { gpuHost } from "../sim/gpu_host.ts";
import erasJson from "../../data/speedrun_eras.json" with { type: "json" };

/** How a record's script warms its kernels up before the timed loop (scripts of 2026). */
export interface SpeedrunWarmup {
  /** The first steps it always samples. */
  first: number[];
  /** Where around each schedule transition it samples. */
  offsets: number[];
}

/** One record of the short track, as its log shows it. */
export interface SpeedrunEra {
  /** The record's folder date. */
  date: string;
  /** num_iterations. */
  steps: number;
  /** Final step_avg on 8 × H100 SXM, ms. */
  stepAvgMs: number;
  /** val_loss_every. */
  valEvery: number;
  /** The clock restarts at loop step 10, so steps 1–10 carry torch.compile (until Jan 2025). */
  clockReset: boolean;
  /** Range of seconds compiling takes (inside steps 1–10, or in untimed warm-up steps). */
  compileS: [number, number];
  /** What step 1's train_time reads in scripts that warm up untimed, ms (a slow first step). */
  firstStepMs?: [number, number];
  /**
   * The December 2024 header: lower-case `python` and `pytorch`, `nvidia-smi:` above the table
   * and the data loaders' token counts between two more rules.
   */
  legacyHeader: boolean;
  /** The record's peak memory allocated, MiB, over its logs. */
  peakAllocatedMiB: [number, number];
  /** Its peak memory reserved, MiB; absent where the script prints only `peak memory consumption`. */
  peakReservedMiB?: [number, number];
  /** Whether the record's machines showed the ranks in nvidia-smi (not inside a container). */
  smiProcesses: boolean;
  /** The warm-up the script announces after the header (from late December 2025). */
  warmup?: SpeedrunWarmup;
  /** Pythons such a machine ran, each with the [year, month] of its first build. */
  pythons: [string, [number, number]][];
  /** PyTorch build and the CUDA it was built for; Triton's version when the script prints it. */
  torch: string;
  cuda: string;
  triton?: string;
  /**
   * How far above ln(50304) = 10.8258 step 0 reads: the head starts at zero (0) until the
   * records of late 2025, whose small random head reads a few thousandths more.
   */
  headExcess: [number, number];
  /** Median val_loss of the record's logs at each validation after step 0 (the last at the end). */
  valLosses: number[];
  /** Steps run past the three-stage schedule at its last settings (num_extension_iterations). */
  extension?: number;
  /**
   * Step time of the schedule's second and third stages (from a third and two thirds of the
   * scheduled steps) over the first's, in records whose batch grows in stages.
   */
  stages?: [[number, number], [number, number]];
  /** How much slower the last steps are than the first (window schedule), on top of the stages. */
  stepRamp: [number, number];
  /** How much longer even steps take than odd ones, where the record alternates. */
  alternation?: [number, number];
}

/** The records replayed, oldest first (8 × H100 80GB HBM3, GPT-2 small, target val loss 3.28). */
export const SPEEDRUN_ERAS: readonly SpeedrunEra[] = erasJson.eras as SpeedrunEra[];

/** Each older record is run this much less often than the one after it. */
const OLDER_WEIGHT = 0.6;

/**
 * The record the seed replays: any set by the run's date, the latest most often (people run the
 * current record; older ones to reproduce or ablate them), the earliest before any.
 */
export function speedrunEra(cfg: RunConfig): SpeedrunEra {
  const known = SPEEDRUN_ERAS.filter((e) => Date.parse(e.date) <= cfg.startMs);
  if (known.length === 0) return SPEEDRUN_ERAS[0];
  const weights = known.map((_, i) => OLDER_WEIGHT ** (known.length - 1 - i));
  return createRng(cfg.seed, "style:speedrun:era").weighted(known, weights);
}

/** Whether the run is the record itself: its GPT-2 small for its number of steps. */
export function isRecord(cfg: RunConfig): boolean {
  return cfg.model.id === "gpt2-124m" && cfg.totalSteps === speedrunEra(cfg).steps;
}

/** How much slower than 8 × H100 SXM the run's GPUs are (bf16 peak, and fewer of them). */
function slowdown(cfg: RunConfig): number {
  const h100 = 989;
  return Math.max(1, h100 / cfg.gpu.bf16Tflops) * Math.max(1, 8 / cfg.worldSize);
}

/**
 * The steps where the schedule's second and third stages begin and where it ends, in a script
 * that runs `extension` of its `steps` past it (Python's `round`, which never meets a half here).
 */
export function stageStarts(steps: number, extension: number): [number, number, number] {
  const scheduled = Math.max(3, steps - extension);
  return [1, 2, 3].map((k) => Math.round((k / 3) * scheduled)) as [number, number, number];
}

/** The record's step-time stages for this run: [fraction of the run, factor] from there on. */
function stepStages(cfg: RunConfig, era: SpeedrunEra): [number, number][] {
  if (!era.stages) return [];
  const rng = createRng(cfg.seed, "style:speedrun:stages");
  const [second, third] = stageStarts(era.steps, era.extension ?? 0);
  return [
    [second / era.steps, rng.range(era.stages[0][0], era.stages[0][1])],
    [third / era.steps, rng.range(era.stages[1][0], era.stages[1][1])],
  ];
}

/** How far the sim's validation reads above its training curve in a first epoch. */
const VAL_GAP = 0.025;

/**
 * The record's training curve, read back from its logs' validations: [fraction of the run,
 * loss], this run a few thousandths above or below the median, as runs of a record differ.
 */
function recordedLoss(cfg: RunConfig, era: SpeedrunEra): [number, number][] {
  const shift = createRng(cfg.seed, "style:speedrun:curve").range(-0.004, 0.004);
  return era.valLosses.map((v, i) => {
    const step = Math.min(era.steps, (i + 1) * era.valEvery);
    return [step / era.steps, v - VAL_GAP + shift];
  });
}

/** The host's mean lead over the GPU, in steps (the speedrun clock draws it from 0.55 to 0.92). */
const MEAN_LEAD_STEPS = 0.735;

/**
 * The first step's factor on the steady step `baseS` (on 8 × H100) that makes step 1's line
 * read what the record's logs show once the host's lead is taken off.
 */
function firstStepFactor(era: SpeedrunEra, baseS: number): [number, number] {
  const [lo, hi] = era.firstStepMs!;
  return [lo / 1000 / baseS + MEAN_LEAD_STEPS, hi / 1000 / baseS + MEAN_LEAD_STEPS];
}

/** The mean step-time factor of a run in `stages` (the first stage's being 1). */
function meanStageFactor(stages: [number, number][]): number {
  let mean = 0, from = 0, factor = 1;
  for (const [at, f] of stages) {
    mean += (at - from) * factor;
    [from, factor] = [at, f];
  }
  return mean + (1 - from) * factor;
}

/**
 * The record replayed as this run: its step count and step time (the era's step_avg with a
 * machine's spread, before the schedule's ramp), on one node of eight GPUs.
 */
export function speedrunRecipe(cfg: RunConfig): PacingRequest {
  const era = speedrunEra(cfg);
  const rng = createRng(cfg.seed, "style:speedrun:recipe");
  const ramp = (era.stepRamp[0] + era.stepRamp[1]) / 2;
  const alternation = era.alternation ? (era.alternation[0] + era.alternation[1]) / 2 : 0;
  // The mean of a linear ramp is half of it, of an alternation half of it too: the base step
  // makes the era's average.
  const stages = stepStages(cfg, era);
  const stepS = (era.stepAvgMs / 1000 / (1 + ramp / 2) / (1 + alternation / 2)) /
    meanStageFactor(stages) * rng.range(0.985, 1.02) * slowdown(cfg);
  const recipe: PacingRequest["recipe"] = {
    task: "pretrain",
    model: findModel("gpt2-124m"),
    dataset: DATASETS.find((d) => d.id === "fineweb-10b"),
    nodes: 1,
    gpusPerNode: 8,
    epochs: 1,
    stepsPerEpoch: era.steps,
    ckptInterval: era.steps,
    resumeStep: 0,
    timeLimitS: undefined,
    logInterval: 1,
    scenario: "small_pretrain",
  };
  // The script's own habits hold for any run of it; its speed and batch for GPT-2 small, in
  // the record itself (the run drawn before the recipe only learns which run to draw instead).
  if (!isRecord(cfg) && cfg.scenario !== null) return { recipe };
  return {
    recipe,
    ...(cfg.model.id === "gpt2-124m" ? { stepSeconds: stepS, batch: { micro: 64, accum: 1 } } : {}),
    compileS: era.compileS,
    ...(era.firstStepMs ? { firstStepFactor: firstStepFactor(era, stepS / slowdown(cfg)) } : {}),
    stepRamp: era.stepRamp,
    ...(stages.length > 0 ? { stepStages: stages } : {}),
    ...(isRecord(cfg) ? { recordedLoss: recordedLoss(cfg, era) } : {}),
    // A record runs on a quiet node: steps steady to about a per cent (a millisecond of 30), no
    // stalls.
    stepJitter: [0.01, 0.02],
    stepStalls: false,
    ...(era.alternation ? { stepAlternation: era.alternation } : {}),
    zeroHead: true,
    evalInterval: era.valEvery,
    // The validation loader is built once; each pass is a forward over val_tokens.
    evalSetupS: 0.35,
    // Ten million tokens measure the loss to a couple of thousandths.
    evalNoise: 0.0015,
    exports: false,
  };
}

/**
 * The GPU as the record's machine ran it: a driver new enough for the CUDA its PyTorch was built
 * for (the node's own when it is), from the GPU's usual drivers.
 */
export function eraGpu(cfg: RunConfig): GpuSpec {
  const era = speedrunEra(cfg);
  const fit = gpuHost(cfg.gpu.id).drivers.filter((d) => Number(d.cuda) >= Number(era.cuda));
  if (fit.length === 0 || Number(cfg.gpu.cuda) >= Number(era.cuda)) return cfg.gpu;
  const d = createRng(cfg.seed, "style:speedrun:driver").weighted(fit, fit.map((x) => x.weight));
  return { ...cfg.gpu, driver: d.version, cuda: d.cuda };
}

/** What step 0's validation reads above the uniform ln(50304) in this record's script. */
export function headExcess(cfg: RunConfig): number {
  const [lo, hi] = speedrunEra(cfg).headExcess;
  return hi === 0 ? 0 : createRng(cfg.seed, "style:speedrun:head").range(lo, hi);
}

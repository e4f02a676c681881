/**
 * The modded-nanogpt records a speedrun replays: each era's step count, validation cadence,
 * step time on 8 × H100 and the script's own habits (its clock, its version lines, its last
 * line). A run drawn without sizing flags replays one of them whole: a record is itself a job
 * of a few minutes, so it is never shrunk; on other GPUs its steps take longer, as they would.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { findModel } from "../sim/catalog.ts";
import { DATASETS } from "../sim/catalog.ts";
import type { PacingRequest } from "../sim/pacing.ts";
import type { GpuSpec } from "../sim/catalog.ts";
import { gpuHost } from "../sim/gpu_host.ts";

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
  /** The warm-up announcements printed after the header (from late December 2025). */
  warmupLines: boolean;
  /** Pythons such a machine ran, each with the [year, month] of its first build. */
  pythons: [string, [number, number]][];
  /** PyTorch build and the CUDA it was built for; Triton's version when the script prints it. */
  torch: string;
  cuda: string;
  triton?: string;
  /**
   * How far above ln(50304) = 10.8258 step 0 reads: the head starts at zero (0) until the
   * records of 2026, whose small random head reads a few thousandths more.
   */
  headExcess: [number, number];
  /** How much slower the last steps are than the first (window and batch schedules). */
  stepRamp: [number, number];
  /** How much longer even steps take than odd ones, where the record alternates. */
  alternation?: [number, number];
}

/** The records replayed (8 × H100 80GB HBM3, GPT-2 small, target val loss 3.28). */
export const SPEEDRUN_ERAS: readonly SpeedrunEra[] = [
  {
    date: "2025-01-16",
    steps: 1393,
    stepAvgMs: 129.7,
    valEvery: 125,
    clockReset: true,
    compileS: [18, 36],
    warmupLines: false,
    pythons: [["3.12.7", [2024, 10]], ["3.10.12", [2023, 6]], ["3.11.10", [2024, 9]]],
    torch: "2.7.0.dev20250110+cu126",
    cuda: "12.6",
    headExcess: [0, 0],
    stepRamp: [0.1, 0.13],
  },
  {
    date: "2025-10-24",
    steps: 2315,
    stepAvgMs: 60.7,
    valEvery: 250,
    clockReset: false,
    compileS: [30, 60],
    warmupLines: false,
    pythons: [["3.12.7", [2024, 10]], ["3.12.11", [2025, 6]], ["3.10.12", [2023, 6]]],
    torch: "2.10.0.dev20251022+cu126",
    cuda: "12.6",
    triton: "3.5.0",
    headExcess: [0, 0],
    stepRamp: [0.06, 0.08],
  },
  {
    date: "2026-07-17",
    steps: 1390,
    stepAvgMs: 58,
    valEvery: 250,
    clockReset: false,
    compileS: [45, 90],
    warmupLines: true,
    pythons: [["3.12.3", [2024, 4]], ["3.12.12", [2025, 10]], ["3.10.12", [2023, 6]]],
    torch: "2.10.0+cu128",
    cuda: "12.8",
    triton: "3.6.0",
    headExcess: [0.0015, 0.011],
    stepRamp: [1.28, 1.34],
    alternation: [0.08, 0.28],
  },
];

/** The record the seed replays: one set by the run's date (the earliest before any). */
export function speedrunEra(cfg: RunConfig): SpeedrunEra {
  const known = SPEEDRUN_ERAS.filter((e) => Date.parse(e.date) <= cfg.startMs);
  return createRng(cfg.seed, "style:speedrun:era").pick(
    known.length > 0 ? known : [SPEEDRUN_ERAS[0]],
  );
}

/** How much slower than 8 × H100 SXM the run's GPUs are (bf16 peak, and fewer of them). */
function slowdown(cfg: RunConfig): number {
  const h100 = 989;
  return Math.max(1, h100 / cfg.gpu.bf16Tflops) * Math.max(1, 8 / cfg.worldSize);
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
  const stepS = (era.stepAvgMs / 1000 / (1 + ramp / 2) / (1 + alternation / 2)) *
    rng.range(0.985, 1.02) * slowdown(cfg);
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
  const record = cfg.model.id === "gpt2-124m" && cfg.totalSteps === era.steps;
  if (!record && cfg.scenario !== null) return { recipe };
  return {
    recipe,
    ...(cfg.model.id === "gpt2-124m" ? { stepSeconds: stepS, batch: { micro: 64, accum: 1 } } : {}),
    compileS: era.compileS,
    stepRamp: era.stepRamp,
    // A record runs on a quiet node: steps steady to a fraction of a per cent, no stalls.
    stepJitter: [0.0015, 0.005],
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

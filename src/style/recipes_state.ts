/**
 * What the llama-recipes script remembers between lines (its bars, the loss it sums over an
 * epoch, the best evaluation loss, the results it averages at the end) and who prints a line:
 * rank 0, each node's local rank 0, or every rank, each a little apart.
 */
import type { LogEventOf } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { hashUnit } from "../sim/rng.ts";
import { startupNodes } from "./ranks.ts";
import { titanJob } from "./titan_lines.ts";
import type { RankBars, Written } from "./recipes_bars.ts";
import { type EpochResults, type RecipesRelease, recipesRelease } from "./recipes_lines.ts";

/** The salt of the script's line streams. */
export const RECIPES_NAME = "recipes";

/** A finished training epoch whose `Epoch N:` line is still to come (after its evaluation). */
export interface EpochDone {
  epoch: number;
  ppl: number;
  loss: number;
  seconds: number;
}

/** The script's state between events. */
export interface RecipesState {
  cfg: RunConfig;
  rel: RecipesRelease;
  ncclDebug: "" | "WARN" | "INFO";
  /** Ranks whose output the log holds: every local rank of the nodes whose agents it shows. */
  ranks: number[];
  /** The weights' read in progress: its start, until the last shard is in. */
  loading: LogEventOf<"model.load"> | null;
  /** Lines written but not yet part of a printed message. */
  pending: string[];
  /** NCCL's set-up lines, written at the first collective. */
  ncclHeld: string[];
  ncclShown: boolean;
  train: RankBars | null;
  /** The epoch's `total_loss` over the data-parallel ranks (float32), summed per step. */
  lossSum: number;
  /** Optimizer steps of this epoch run by this launch, and the loader's batches it holds. */
  epochSteps: number;
  epochBatches: number;
  epochStartS: number;
  lastStepS: number;
  epochDone: EpochDone | null;
  evalBars: RankBars | null;
  evalN: number;
  evalLastS: number;
  /** `best_val_loss` (float32), infinite before the first evaluation. */
  best: number;
  results: EpochResults;
  printedResults: boolean;
  /** The script has been launched once (a later launch starts it over). */
  launched: boolean;
}

/** A fresh run's state. */
export function initRecipes(cfg: RunConfig): RecipesState {
  return {
    cfg,
    rel: recipesRelease(cfg),
    ncclDebug: titanJob(cfg).ncclDebug,
    // The nodes whose agents the log shows: their workers print too.
    loading: null,
    ranks: startupNodes(cfg).flatMap((n) =>
      Array.from({ length: cfg.gpusPerNode }, (_, l) => n * cfg.gpusPerNode + l)
    ),
    pending: [],
    ncclHeld: [],
    ncclShown: false,
    train: null,
    lossSum: 0,
    epochSteps: 0,
    epochBatches: cfg.stepsPerEpoch * cfg.gradAccum,
    epochStartS: cfg.startMs / 1000,
    lastStepS: cfg.startMs / 1000,
    epochDone: null,
    evalBars: null,
    evalN: 0,
    evalLastS: 0,
    best: Infinity,
    results: {
      trainPpl: [],
      trainLoss: [],
      evalPpl: [],
      evalLoss: [],
      epochS: [],
      checkpointS: [],
    },
    printedResults: false,
    launched: false,
  };
}

/** A new launch of the job: the script starts over (it keeps no state across launches). */
export function startLaunch(st: RecipesState): void {
  if (st.launched) Object.assign(st, { ...initRecipes(st.cfg), pending: st.pending });
  st.launched = true;
}

/** A rank's small lag behind an instant (each process gets there on its own), seconds. */
export function lag(cfg: RunConfig, rank: number, salt: number): number {
  return 0.002 + 0.04 * hashUnit(cfg.seed, rank, salt);
}

/** Lines of rank 0 (or of each node's local rank 0 when `perNode`) at `t`, seconds. */
export function said(st: RecipesState, t: number, lines: string[], perNode = false): Written[] {
  const g = st.cfg.gpusPerNode;
  const who = st.ranks.filter((r) => perNode ? r % g === 0 : r === 0);
  return who.flatMap((r) =>
    lines.map((text, i) => ({ t: t + lag(st.cfg, r, 7) + i * 1e-6, text }))
  );
}

/** The same lines from every shown rank, each at its own moment. */
export function everyRank(st: RecipesState, t: number, lines: string[], salt: number): Written[] {
  return st.ranks.flatMap((r) =>
    lines.map((text, i) => ({ t: t + lag(st.cfg, r, salt) + i * 1e-6, text }))
  );
}

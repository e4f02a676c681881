/**
 * One Lightning run's writer state: the job's profile, the output file the processes write to
 * (tqdm refreshes and log lines in one stream), the live progress bars, the metrics the bar
 * shows, ModelCheckpoint's best scores and which attempt of the job is running.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng, type Rng } from "../sim/rng.ts";
import { type Capture, captureWrite, createCapture } from "../format/capture.ts";
import { lightningNum } from "../format/tqdm.ts";
import type { TqdmBar } from "../format/tqdm_bar.ts";
import { drawProfile, type LightningProfile } from "./lightning_profile.ts";

/** A checkpoint ModelCheckpoint keeps, with its score. */
export interface Kept {
  path: string;
  score: number;
}

/** The validation bar's batches, timed from the pass's own throughput. */
export interface ValRun {
  bar: TqdmBar;
  total: number;
  /** Batches run so far, and when the last of them ended. */
  shown: number;
  atS: number;
  /** Seconds of one batch's forward pass at this pass's speed. */
  perBatchS: number;
}

/** The writer's state for one run. */
export interface LightningState {
  cfg: RunConfig;
  p: LightningProfile;
  out: Capture;
  /** Jitter of the style's own timings (print gaps, sanity batches), drawn in event order. */
  rng: Rng;
  /** 0 for the first process of the job, +1 for each restart after a fault. */
  attempt: number;
  /** The logger's version of this attempt: an int, or a W&B run id (`v_num`). */
  version: number | string;
  /** The current process is inside `trainer.fit` (its KeyboardInterrupt handler is in place). */
  inFit: boolean;
  /** The fit has registered its SIGTERM handler (just before the sanity check). */
  trainStarted: boolean;
  train: TqdmBar | null;
  val: ValRun | null;
  /** Progress-bar metrics in the order they were first logged. */
  metrics: Map<string, number>;
  lossSum: number;
  lossCount: number;
  /** When the last batch the bar knows of ended, and its number in the epoch. */
  lastBatchS: number;
  lastBatch: number;
  best: Kept[];
  /** Checkpoint files written so far (a name taken again gets `-v1`). */
  saved: Set<string>;
  /** The every-N-steps saves by step: what a restart restores. */
  ckptPaths: Map<number, string>;
  /** The rank whose GPU failed, while its fault plays out. */
  failedRank: number | null;
  /** Ranks loading the pretrained weights, while they do. */
  loading: LoadRun | null;
  warned: Set<string>;
  chainShown: boolean;
}

/** transformers' "Loading checkpoint shards" bars, one per local rank. */
export interface LoadRun {
  bars: TqdmBar[];
  /** Where each rank's shards end, as fractions of the simulation's whole read. */
  ends: number[][];
  /** Shards each rank has reported. */
  shown: number[];
  /** When each rank read its last shard. */
  lastS: number[];
  /** When the ranks began. */
  startS: number;
  /** Shard reads not yet written ([when, rank]): they end after the simulation's point. */
  pending: Array<[number, number]>;
}

/** A fresh state for `cfg`. */
export function createLightningState(cfg: RunConfig): LightningState {
  const p = drawProfile(cfg);
  return {
    cfg,
    p,
    out: createCapture(),
    rng: createRng(cfg.seed, "style:lightning:timing"),
    attempt: 0,
    version: p.firstVersion,
    inFit: false,
    trainStarted: false,
    train: null,
    val: null,
    metrics: new Map(),
    lossSum: 0,
    lossCount: 0,
    lastBatchS: 0,
    lastBatch: 0,
    best: [],
    saved: new Set(),
    ckptPaths: new Map(),
    failedRank: null,
    loading: null,
    warned: new Set(),
    chainShown: false,
  };
}

/** Appends to the job's output. */
export function write(st: LightningState, text: string): void {
  if (text !== "") captureWrite(st.out, text);
}

/** Global ranks of the first node: the processes whose output this log holds. */
export function nodeRanks(cfg: RunConfig): number[] {
  return Array.from({ length: cfg.gpusPerNode }, (_, i) => i);
}

/** The bar's `v_num`: an int version as it is, a string one (a W&B id) by its last 4 places. */
export function vNum(version: number | string): string {
  return typeof version === "string" ? lightningNum(version.slice(-4)) : String(version);
}

/** `get_metrics()` joined as tqdm's set_postfix joins it: `v_num=3, train_loss=2.310`. */
export function postfixText(st: LightningState): string {
  const parts = [`v_num=${vNum(st.version)}`];
  for (const [key, value] of st.metrics) parts.push(`${key}=${lightningNum(value)}`);
  return parts.join(", ");
}

/** Seconds on the simulated clock. */
export function seconds(simMs: number): number {
  return simMs / 1000;
}

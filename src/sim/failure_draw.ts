/**
 * Where the chaos plan puts its faults: spans kept apart on the step axis, and for a fault that
 * kills the job, the step, the checkpoint it falls back to and what the failing rank's Python
 * was doing when it struck. Crashes outside CUDA (crash kinds the script can show) are drawn
 * here too.
 */
import { createRng, type Rng } from "./rng.ts";
import type { RunConfig } from "./run_config.ts";
import type { CrashKind, StrikeSite } from "./facts.ts";
import type { CrashFault, JobFailure } from "./fault_plan.ts";
import { steadyStepSeconds } from "./phases/train_state.ts";

/** Free spans of the step axis. */
export interface Placer {
  lo: number;
  hi: number;
  /** Reserves [start, start + length] somewhere free in [lo, hi]; returns start or null. */
  place(length: number): number | null;
  /** Reserves an exact span if it is free. */
  take(lo: number, hi: number): boolean;
}

/**
 * Seconds a job spends before its first step, generously: launch and set-up, reading the
 * weights (and a checkpoint's optimizer state) at a file system's pace per node.
 */
function setupSeconds(cfg: RunConfig): number {
  const readBps = 2e9 * Math.min(cfg.nodes, 16);
  const weights = (cfg.model.params * 2) / readBps;
  const state = cfg.resumeStep > 0 ? (cfg.model.params * 14) / readBps : 0;
  return 120 + weights + state;
}

/** Keeps faults apart, away from the fp16 warm-up burst and clear of the last few steps. */
export function createPlacer(cfg: RunConfig, rng: Rng): Placer {
  const remaining = cfg.totalSteps - cfg.resumeStep;
  // A job the scheduler stops only gets so far: faults past that step would never happen.
  const reach = cfg.timeLimitMs === null ? cfg.totalSteps : cfg.resumeStep + Math.floor(
    (0.6 * ((cfg.timeLimitMs - cfg.startMs) / 1000 - setupSeconds(cfg))) / steadyStepSeconds(cfg),
  );
  const span = Math.min(cfg.totalSteps, reach) - cfg.resumeStep;
  const lo = cfg.resumeStep + Math.max(10, Math.round(0.05 * span));
  const hi = Math.min(reach, cfg.totalSteps - Math.max(3, Math.round(0.04 * remaining)));
  const spans: Array<[number, number]> = [];
  const free = (a: number, b: number) => spans.every(([x, y]) => b < x - 1 || a > y + 1);
  const take = (a: number, b: number) => {
    if (a < lo || b > hi || !free(a, b)) return false;
    spans.push([a, b]);
    return true;
  };
  return {
    lo,
    hi,
    take,
    place(length) {
      for (let attempt = 0; attempt < 24 && hi - length >= lo; attempt++) {
        const start = rng.int(lo, hi - length);
        if (take(start, start + length)) return start;
      }
      return null;
    },
  };
}

/** Weights of the sites a fault can reach Python at (a site left out never happens). */
export type SiteWeights = Partial<Record<StrikeSite, number>>;

/**
 * A CUDA error surfaces at the next call that synchronises with the GPU: the backward pass,
 * the optimizer's norm, a logging `.item()`, or a forward op that waits on a transfer.
 */
export const CUDA_SITES: SiteWeights = { backward: 35, sync: 25, optimizer: 20, forward: 20 };
/** An out-of-memory strikes where memory peaks: activations in the forward, grads in backward. */
export const OOM_SITES: SiteWeights = { forward: 55, backward: 35, optimizer: 10 };

/** Draws a site from its own stream, so placing it shifts no other draw of the plan. */
function drawSite(cfg: RunConfig, step: number, weights: SiteWeights): StrikeSite {
  const sites = Object.keys(weights) as StrikeSite[];
  return createRng(cfg.seed, `site:${step}`).weighted(sites, sites.map((s) => weights[s]!));
}

/** The checkpoint steps a failure can fall back to: the resumed one and each save before `hi`. */
function saveSteps(cfg: RunConfig, hi: number): number[] {
  const every = cfg.ckptInterval;
  const saves = cfg.resumeStep > 0 ? [cfg.resumeStep] : [];
  for (let c = (Math.floor(cfg.resumeStep / every) + 1) * every; c < hi; c += every) {
    saves.push(c);
  }
  return saves;
}

/**
 * Where a job-killing fault strikes: after a checkpoint it can fall back to (the one it resumed
 * from or one it saves), within that checkpoint's epoch so no validation runs twice. With
 * `save`, it strikes in the save of the next checkpoint instead.
 */
export function drawJobFailure(
  cfg: RunConfig,
  rng: Rng,
  placer: Placer,
  rank: number,
  sites: SiteWeights,
  save = false,
): JobFailure | null {
  const every = cfg.ckptInterval, saves = saveSteps(cfg, placer.hi);
  for (let attempt = 0; attempt < 24 && saves.length > 0; attempt++) {
    const resumeStep = rng.pick(saves);
    const epochEnd = Math.ceil((resumeStep + 1) / cfg.stepsPerEpoch) * cfg.stepsPerEpoch;
    const first = Math.max(resumeStep + 1, placer.lo);
    const last = Math.min(resumeStep + every, epochEnd, placer.hi);
    if (last < first) continue;
    const next = (Math.floor(resumeStep / every) + 1) * every;
    // A failed save: the next checkpoint's, short of the epoch's end (whose validation ran).
    if (save && (next > last || next >= epochEnd || next < first)) continue;
    const step = save ? next : rng.int(first, last);
    if (!placer.take(first, step)) continue;
    return {
      step,
      rank,
      resumeStep,
      stepFraction: rng.range(0.1, 0.9),
      detectS: rng.range(0.05, 2.5),
      // The scheduler requeues the job; the node reboots and passes its health check.
      requeueS: rng.range(120, 900),
      site: save ? "save" : drawSite(cfg, step, sites),
    };
  }
  return null;
}

/** Where each crash reaches Python (a crash without a Python exception still has a site). */
const CRASH_SITES: Record<CrashKind, SiteWeights> = {
  loader_bus: { data: 1 },
  loader_killed: { data: 1 },
  host_oom: { data: 30, forward: 25, backward: 25, optimizer: 20 },
  disk_full: { save: 1 },
  segfault: { data: 15, forward: 30, backward: 30, optimizer: 10, sync: 15 },
};

/** How often each crash happens, relative to the others (a full disk is the commonest). */
const CRASH_WEIGHTS: Record<CrashKind, number> = {
  loader_bus: 22,
  loader_killed: 12,
  host_oom: 22,
  disk_full: 26,
  segfault: 18,
};

/** A crash of a kind the run's script can show, or null when none fits. */
export function drawCrash(
  cfg: RunConfig,
  rng: Rng,
  placer: Placer,
  rank: number,
): CrashFault | null {
  const kinds = cfg.pacing.crashes;
  if (kinds.length === 0) return null;
  const crash = rng.weighted([...kinds], kinds.map((k) => CRASH_WEIGHTS[k]));
  const at = drawJobFailure(cfg, rng, placer, rank, CRASH_SITES[crash], crash === "disk_full");
  if (!at) return null;
  const errno = crash === "disk_full" ? (rng.chance(0.6) ? "ENOSPC" : "EDQUOT") : undefined;
  // Someone has to free space or raise /dev/shm before the job is submitted again.
  const human = crash === "disk_full" || crash === "loader_bus";
  return {
    kind: "crash",
    ...at,
    crash,
    ...(errno ? { errno } : {}),
    ...(human ? { requeueS: rng.range(900, 3600) } : {}),
  };
}

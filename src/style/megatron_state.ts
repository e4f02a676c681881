/**
 * What the Megatron style remembers through a run: the set-up it drew, the processes' start
 * times for the set-up timers, and the tally of the current logging interval (its start, the
 * evaluation and save time its timer did not run through, the iterations it skipped).
 */
import type { RunConfig } from "../sim/run_config.ts";
import { type MegatronArch, megatronArch } from "./megatron_model.ts";
import { type MegatronProfile, megatronProfile } from "./megatron_profile.ts";

/** The current logging interval of one training process. */
export interface IntervalTally {
  /** Simulated time the interval started: the last iteration line, or the start of training. */
  startMs: number;
  /** Evaluation and checkpoint time inside the interval (Megatron stops its timer for them). */
  pausedMs: number;
  /** The iteration the interval follows. */
  fromStep: number;
  /** Iterations whose update was skipped in this interval. */
  skipped: number;
}

/** One run's state. */
export interface MegatronState {
  profile: MegatronProfile;
  arch: MegatronArch;
  tally: IntervalTally;
  /** Skipped iterations since the start of the job: the scheduler counts applied updates only. */
  skippedTotal: number;
  /** The last iteration counted as skipped (an overflow line and its step line name the same). */
  lastSkipStep: number;
  /** The skipped total saved with each checkpoint, for a restart that loads it back. */
  skippedAtSave: Map<number, number>;
  /** Per process: the memory report and the first-step warnings are still to come. */
  memoryPending: boolean;
  warningsPending: boolean;
  /** Per process: this interval is its first (slower timers: compilation, allocator growth). */
  firstInterval: boolean;
  /** When the current worker processes started, and when set-up reached its milestones. */
  processStartMs: number;
  initializedMs: number;
  builtMs: number;
  /** The last in-loop validation's loss and time (the end-of-training evaluations follow it). */
  lastValLoss: number;
  evalMs: number;
  /** `[after training is done]` is out (the final save may come before the evaluations). */
  trainingDone: boolean;
  /** The job exited on a signal after saving: nothing more from its processes. */
  exited: boolean;
  /** The checkpoint a job relaunched after a fault loads (none before the first fault). */
  relaunchStep?: number;
  /**
   * A checkpoint load in flight since `sinceMs`: the set-up lines Megatron prints after it
   * (datasets, set-up done) wait for the load to end, each worded when it is printed.
   */
  loading?: { sinceMs: number; held: Array<(atMs: number) => string> };
}

/** A fresh state for a run. */
export function initialMegatronState(cfg: RunConfig): MegatronState {
  return {
    profile: megatronProfile(cfg),
    arch: megatronArch(cfg),
    tally: { startMs: cfg.startMs, pausedMs: 0, fromStep: cfg.resumeStep, skipped: 0 },
    skippedTotal: 0,
    lastSkipStep: -1,
    skippedAtSave: new Map(),
    memoryPending: true,
    warningsPending: true,
    firstInterval: true,
    processStartMs: cfg.startMs,
    initializedMs: cfg.startMs,
    builtMs: cfg.startMs,
    lastValLoss: NaN,
    evalMs: 0,
    trainingDone: false,
    exited: false,
  };
}

/** Training (re)starts at `simMs` after iteration `step` in a new process. */
export function startTraining(st: MegatronState, simMs: number, step: number): void {
  st.tally = { startMs: simMs, pausedMs: 0, fromStep: step, skipped: 0 };
  st.lastSkipStep = -1;
  st.memoryPending = true;
  st.warningsPending = true;
  st.firstInterval = true;
}

/** The next interval starts after the iteration line of `step`, printed at `simMs`. */
export function nextInterval(st: MegatronState, simMs: number, step: number): void {
  st.tally = { startMs: simMs, pausedMs: 0, fromStep: step, skipped: 0 };
  st.firstInterval = false;
}

/** Counts iteration `step` as skipped, once however many lines name it. */
export function countSkip(st: MegatronState, step: number): void {
  if (st.lastSkipStep === step) return;
  st.lastSkipStep = step;
  st.tally.skipped += 1;
  st.skippedTotal += 1;
}

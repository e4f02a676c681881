/**
 * What a run has done so far, as seen from the events a consumer has handled: enough for the
 * simulation to tell a believable ending when a signal cuts the run short.
 */
import type { PhaseEvent, SimEvent } from "./events.ts";
import type { RunConfig } from "./run_config.ts";

/** The run's progress up to the last handled event. */
export interface RunProgress {
  /** Simulated time of the last handled event. */
  simMs: number;
  phase: PhaseEvent["phase"];
  epoch: number;
  /** Optimizer steps completed (0 before training). */
  step: number;
  /** Loss of the last step, null before the first. */
  lastLoss: number | null;
  /** Best validation loss so far, Infinity before the first validation. */
  bestValLoss: number;
  checkpoints: number;
  /** Step of the last completed checkpoint, null before the first. */
  lastCkptStep: number | null;
  /** Whether the summary went out (the run is over; nothing is left to interrupt). */
  finished: boolean;
  /** The job's current launch: 0, then 1, 2, ... after each relaunch (new processes). */
  launch: number;
  /** Faults so far, and the steps the job failures among them set back. */
  faults: number;
  stepsReplayed: number;
}

/** Progress at the run's launch. */
export function initialProgress(cfg: RunConfig): RunProgress {
  return {
    simMs: cfg.startMs,
    phase: "init",
    epoch: 0,
    step: 0,
    lastLoss: null,
    bestValLoss: Infinity,
    checkpoints: 0,
    lastCkptStep: null,
    finished: false,
    launch: 0,
    faults: 0,
    stepsReplayed: 0,
  };
}

/** Folds one handled event into the progress. */
export function observeEvent(p: RunProgress, ev: SimEvent): void {
  p.simMs = Math.max(p.simMs, ev.simMs);
  switch (ev.type) {
    case "phase":
      p.phase = ev.phase;
      p.epoch = ev.epoch;
      break;
    case "step":
      p.step = ev.data.step;
      p.epoch = ev.data.epoch;
      p.lastLoss = ev.data.loss;
      break;
    case "val":
      p.bestValLoss = Math.min(p.bestValLoss, ev.data.loss);
      break;
    case "ckpt":
      p.checkpoints += 1;
      p.lastCkptStep = ev.data.step;
      break;
    case "summary":
      p.finished = true;
      break;
    case "fault":
      p.faults += 1;
      p.stepsReplayed += ev.data.lost_steps ?? 0;
      break;
    case "log":
      if (ev.key === "launch" && ev.data.restart) p.launch = ev.data.restart;
      break;
  }
}

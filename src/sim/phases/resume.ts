/**
 * Loading a checkpoint to carry on its step counter, LR and data order: for `--resume` (an
 * earlier attempt's checkpoint) and for a job relaunched after a failure (`restart` > 0).
 */
import type { SimEvent } from "../events.ts";
import { learningRate } from "../model/schedule.ts";
import { logLine, type Timeline } from "../timeline.ts";
import { checkpointRead } from "./train.ts";
import { scheduleOf } from "./train_state.ts";
import { readCheckpoint } from "./gpu_fault.ts";

/** Loads the checkpoint at `cfg.resumeStep`; yields nothing for a fresh run. */
export function* resumePhase(t: Timeline): Generator<SimEvent> {
  if (t.cfg.resumeStep === 0) return;
  yield* loadCheckpoint(t, t.cfg.resumeStep, 0);
}

/** Reads the checkpoint of `step` back and restores the run's state from it. */
export function* loadCheckpoint(t: Timeline, step: number, restart: number): Generator<SimEvent> {
  const cfg = t.cfg;
  const r = restart > 0 ? { restart } : {};
  const read = checkpointRead(cfg);
  yield logLine(t, "resume.load", { step, bytes: read.bytes, shards: read.shards, ...r });
  yield* readCheckpoint(t, read);
  const nextLr = learningRate(scheduleOf(cfg), step + 1);
  yield logLine(t, "resume.state", { step, next_lr: nextLr, ...r });
  yield logLine(t, "resume.data", { step, ...r });
}

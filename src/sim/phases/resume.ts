/** `--resume`: load an earlier attempt's checkpoint and carry on its step counter, LR and data. */
import type { SimEvent } from "../events.ts";
import { learningRate } from "../model/schedule.ts";
import { logLine, type Timeline } from "../timeline.ts";
import { checkpointRead } from "./train.ts";
import { scheduleOf } from "./train_state.ts";
import { readCheckpoint } from "./gpu_fault.ts";

/** Loads the checkpoint at `cfg.resumeStep`; yields nothing for a fresh run. */
export function* resumePhase(t: Timeline): Generator<SimEvent> {
  const cfg = t.cfg;
  const step = cfg.resumeStep;
  if (step === 0) return;
  const read = checkpointRead(cfg);
  yield logLine(t, "resume.load", { step, bytes: read.bytes, shards: read.shards });
  yield* readCheckpoint(t, read);
  yield logLine(t, "resume.state", { step, next_lr: learningRate(scheduleOf(cfg), step + 1) });
  yield logLine(t, "resume.data", { step });
}

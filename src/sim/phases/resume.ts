/** `--resume`: load an earlier attempt's checkpoint and carry on its step counter, LR and data. */
import type { SimEvent } from "../events.ts";
import { learningRate } from "../model/schedule.ts";
import { logLine, type Timeline } from "../timeline.ts";
import { formatBytes, formatLr, formatTokens, thousands } from "../../format/units.ts";
import { checkpointRead } from "./train.ts";
import { scheduleOf } from "./train_state.ts";
import { readCheckpoint } from "./gpu_fault.ts";

/** Loads the checkpoint at `cfg.resumeStep`; yields nothing for a fresh run. */
export function* resumePhase(t: Timeline): Generator<SimEvent> {
  const cfg = t.cfg;
  const step = cfg.resumeStep;
  if (step === 0) return;
  const read = checkpointRead(cfg);
  yield logLine(
    t,
    "resume.load",
    `Resuming from checkpoint ${cfg.outputDir}/checkpoint-${step} (${formatBytes(read.bytes)}, ` +
      `${read.shards} shards)`,
  );
  yield* readCheckpoint(t, read);
  const epoch = Math.floor(step / cfg.stepsPerEpoch) + 1;
  const inEpoch = step - (epoch - 1) * cfg.stepsPerEpoch;
  yield logLine(
    t,
    "resume.state",
    `Restored model, optimizer, LR scheduler and RNG states: resuming from step ${step} ` +
      `(epoch ${epoch}, step ${inEpoch}/${cfg.stepsPerEpoch}), next lr ` +
      `${formatLr(learningRate(scheduleOf(cfg), step + 1))}, ` +
      `${formatTokens(step * cfg.tokensPerStep)} tokens seen`,
  );
  yield logLine(
    t,
    "resume.data",
    `Skipping the first ${thousands(inEpoch * cfg.gradAccum)} batches of epoch ${epoch} to ` +
      `restore the data order`,
  );
}

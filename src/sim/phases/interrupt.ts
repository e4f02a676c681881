/**
 * The ending of a run cut short by a signal: a warning, an emergency checkpoint of the last
 * completed step (unless one is already on disk), the shutdown line and the summary.
 */
import type { SimEvent, SummaryData } from "../events.ts";
import type { RunConfig } from "../run_config.ts";
import type { RunProgress } from "../progress.ts";
import { createTimeline, logLine, progress, type Timeline } from "../timeline.ts";
import { checkpointPlan, saveJitter } from "./train.ts";

/** Signals that end a run early. */
export type StopSignalName = "SIGINT" | "SIGTERM";

/** A cadence that never ticks: the ending is told at once, without telemetry. */
const NO_TICKS = { initMs: Infinity, trainMs: Infinity };

/** Yields the ending of a run stopped by `signal` at `p` (nothing when the run already ended). */
export function* interruptPhase(
  cfg: RunConfig,
  p: RunProgress,
  signal: StopSignalName,
  cause: "signal" | "time_limit" = "signal",
): Generator<SimEvent> {
  if (p.finished) return;
  const t = createTimeline(cfg, NO_TICKS);
  t.simMs = p.simMs;
  const saved = p.lastCkptStep === p.step;
  yield logLine(
    t,
    "interrupt",
    { signal, cause, step: p.step, epoch: p.epoch, phase: p.phase, saved },
    "warn",
  );
  let checkpoints = p.checkpoints;
  if (p.step > 0 && p.lastCkptStep !== p.step) {
    yield* emergencyCheckpoint(t, p);
    checkpoints += 1;
  }
  yield logLine(t, "interrupt.shutdown", { signal }, "warn");
  const data: SummaryData = {
    total_time_s: (t.simMs - cfg.startMs) / 1000,
    steps: p.step,
    tokens: p.step * cfg.tokensPerStep,
    final_loss: p.lastLoss ?? NaN,
    final_ppl: p.lastLoss === null ? NaN : Math.exp(p.lastLoss),
    best_val_loss: p.bestValLoss,
    checkpoints,
    output_dir: cfg.outputDir,
    signal,
  };
  yield { type: "summary", simMs: t.simMs, level: "warn", msg: "", data };
  yield { type: "phase", simMs: t.simMs, phase: "done", epoch: p.epoch };
}

function* emergencyCheckpoint(t: Timeline, p: RunProgress): Generator<SimEvent> {
  const cfg = t.cfg;
  yield { type: "phase", simMs: t.simMs, phase: "ckpt", epoch: p.epoch };
  const dir = `${cfg.outputDir}/checkpoint-${p.step}`;
  const { bytes, shards } = checkpointPlan(cfg);
  const seconds = checkpointPlan(cfg).seconds * saveJitter(cfg, p.step);
  yield logLine(t, "ckpt.start", { step: p.step, path: dir, bytes, emergency: true });
  yield* progress(t, "ckpt", "Writing shards", shards, "shard", seconds * 1000, "ckpt", 8);
  yield {
    type: "ckpt",
    simMs: t.simMs,
    level: "info",
    msg: "",
    data: {
      epoch: p.epoch,
      step: p.step,
      path: dir,
      bytes,
      shards,
      time_s: seconds,
      emergency: true,
    },
  };
  yield logLine(t, "interrupt.resume", { path: dir });
}

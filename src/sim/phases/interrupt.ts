/**
 * The ending of a run cut short: by a signal from the user (SIGINT from Ctrl-C, SIGTERM from
 * `scancel` or `kill`), or by Slurm at the job's time limit (SIGTERM to every task, SIGKILL after
 * the kill wait). A user's signal lets the trainer's handler save the last completed step (if
 * no checkpoint of it is on disk); the time limit leaves no time for that.
 */
import type { InterruptCause, SimEvent, SummaryData } from "../events.ts";
import type { RunConfig } from "../run_config.ts";
import type { RunProgress } from "../progress.ts";
import { advance, createTimeline, logLine, progress, type Timeline } from "../timeline.ts";
import { checkpointPlan, saveJitter } from "./train.ts";

/** Signals that end a run early. */
export type StopSignalName = "SIGINT" | "SIGTERM";

/** A cadence that never ticks: the ending is told at once, without telemetry. */
const NO_TICKS = { initMs: Infinity, trainMs: Infinity };

/**
 * Yields the ending of a run stopped by `signal` at `p` (nothing when the run already ended);
 * `cause` "time_limit" is Slurm ending the job (the signal is then SIGTERM).
 */
export function* interruptPhase(
  cfg: RunConfig,
  p: RunProgress,
  signal: StopSignalName,
  cause: InterruptCause = "signal",
): Generator<SimEvent> {
  if (p.finished) return;
  const t = createTimeline(cfg, NO_TICKS);
  t.simMs = p.simMs;
  const saved = p.lastCkptStep === p.step;
  const r = p.launch > 0 ? { restart: p.launch } : {};
  const facts = { signal, step: p.step, epoch: p.epoch, phase: p.phase, saved, cause, ...r };
  yield logLine(t, "interrupt", facts, "warn");
  let checkpoints = p.checkpoints;
  if (cause === "signal" && p.step > 0 && p.lastCkptStep !== p.step) {
    yield* emergencyCheckpoint(t, p);
    checkpoints += 1;
  }
  // The launcher waits for its workers to exit (a few seconds) before it gives up itself.
  yield* advance(t, 400 + (cfg.seed % 1700), "idle");
  yield logLine(t, "interrupt.shutdown", { signal, cause, ...r }, "warn");
  const data: SummaryData = {
    total_time_s: (t.simMs - cfg.startMs) / 1000,
    steps: p.step,
    tokens: p.step * cfg.tokensPerStep,
    final_loss: p.lastLoss ?? NaN,
    final_ppl: p.lastLoss === null ? NaN : Math.exp(p.lastLoss),
    best_val_loss: p.bestValLoss,
    checkpoints,
    output_dir: cfg.outputDir,
    ...(p.faults > 0 ? { faults: p.faults, steps_replayed: p.stepsReplayed } : {}),
    signal,
    cause,
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

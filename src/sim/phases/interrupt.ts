/**
 * The ending of a run cut short by a signal: a warning, an emergency checkpoint of the last
 * completed step (unless one is already on disk), the shutdown line and the summary.
 */
import type { SimEvent, SummaryData } from "../events.ts";
import type { RunConfig } from "../run_config.ts";
import type { RunProgress } from "../progress.ts";
import { createTimeline, logLine, progress, type Timeline } from "../timeline.ts";
import { checkpointPlan } from "./train.ts";
import { formatBytes, formatDuration, formatTokens, thousands } from "../../format/units.ts";

/** Signals that end a run early. */
export type StopSignalName = "SIGINT" | "SIGTERM";

/** A cadence that never ticks: the ending is told at once, without telemetry. */
const NO_TICKS = { initMs: Infinity, trainMs: Infinity };

/** Yields the ending of a run stopped by `signal` at `p` (nothing when the run already ended). */
export function* interruptPhase(
  cfg: RunConfig,
  p: RunProgress,
  signal: StopSignalName,
): Generator<SimEvent> {
  if (p.finished) return;
  const t = createTimeline(cfg, NO_TICKS);
  t.simMs = p.simMs;
  yield logLine(t, "interrupt", interruptLine(cfg, p, signal), "warn");
  let checkpoints = p.checkpoints;
  if (p.step > 0 && p.lastCkptStep !== p.step) {
    yield* emergencyCheckpoint(t, p);
    checkpoints += 1;
  }
  yield logLine(
    t,
    "interrupt.shutdown",
    `Received Signals.${signal} death signal, shutting down ${thousands(cfg.worldSize)} ` +
      `worker process${cfg.worldSize > 1 ? "es" : ""}`,
    "warn",
  );
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
  yield { type: "summary", simMs: t.simMs, level: "warn", msg: summaryLine(cfg, data), data };
  yield { type: "phase", simMs: t.simMs, phase: "done", epoch: p.epoch };
}

function interruptLine(cfg: RunConfig, p: RunProgress, signal: StopSignalName): string {
  const at = `${signal === "SIGINT" ? "Interrupted (SIGINT)" : "Terminated (SIGTERM)"}`;
  if (p.step === 0) return `${at} during start-up, before the first step: nothing to save`;
  if (p.phase === "export") {
    return `${at} during export: training finished; checkpoint-${p.step} is complete`;
  }
  return `${at} at epoch ${p.epoch}/${cfg.epochs}, step ${thousands(p.step)}/` +
    `${thousands(cfg.totalSteps)}: ` +
    (p.lastCkptStep === p.step
      ? `checkpoint-${p.step} is already saved`
      : "saving an emergency checkpoint before exit");
}

function* emergencyCheckpoint(t: Timeline, p: RunProgress): Generator<SimEvent> {
  const cfg = t.cfg;
  yield { type: "phase", simMs: t.simMs, phase: "ckpt", epoch: p.epoch };
  const dir = `${cfg.outputDir}/checkpoint-${p.step}`;
  const { bytes, shards, seconds } = checkpointPlan(cfg);
  yield logLine(
    t,
    "ckpt.start",
    `Saving emergency checkpoint at step ${p.step} to ${dir} (${formatBytes(bytes)})`,
  );
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
  yield logLine(t, "interrupt.resume", `Emergency checkpoint done; resume with --resume ${dir}`);
}

/** The summary line of an interrupted run (the native look; styles may rewrite it). */
function summaryLine(cfg: RunConfig, d: SummaryData): string {
  const head = `Training interrupted by ${d.signal} after ${formatDuration(d.total_time_s)}`;
  if (d.steps === 0) return `${head}, before the first step; output ${d.output_dir}`;
  const best = Number.isFinite(d.best_val_loss)
    ? `best val loss ${d.best_val_loss.toFixed(4)}`
    : "no validation yet";
  return `${head}: ${thousands(d.steps)} of ${thousands(cfg.totalSteps)} steps, ` +
    `${formatTokens(d.tokens)} tokens, final loss ${d.final_loss.toFixed(4)} ` +
    `(ppl ${d.final_ppl.toFixed(2)}), ${best}, ${d.checkpoints} checkpoint` +
    `${d.checkpoints === 1 ? "" : "s"}, output ${d.output_dir}`;
}

/**
 * The end of a Hugging Face run: the train-output dict whose runtime spans banner to
 * "Training completed", `Trainer.log_metrics`' aligned blocks, and a run stopped by Ctrl-C
 * ending in the KeyboardInterrupt traceback of the training loop.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { pyDict, pyFloat, pyRound } from "../format/python_repr.ts";
import type { HfProfile } from "./hf_profile.ts";
import { hfHead } from "./hf_frames.ts";
import { frame } from "./torch_frames.ts";
import { pyTraceback } from "./tracebacks.ts";
import { pythonPaths } from "./torch_source.ts";

/** Python's `str(datetime.timedelta(seconds=int(s)))`: `0:07:05`, `1 day, 2:03:04`. */
function timedelta(seconds: number): string {
  const days = Math.floor(seconds / 86400), rest = seconds - days * 86400;
  const h = Math.floor(rest / 3600), m = Math.floor((rest % 3600) / 60), s = rest % 60;
  const hms = `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
  return days ? `${days} day${days > 1 ? "s" : ""}, ${hms}` : hms;
}

/** `_secs2timedelta`: whole seconds as a timedelta, then hundredths truncated (`0:07:05.42`). */
export function secs2timedelta(secs: number): string {
  const whole = Math.trunc(secs);
  const msec = Math.trunc(Math.abs(secs - whole) * 100);
  return `${timedelta(whole)}.${String(msec).padStart(2, "0")}`;
}

/** A metric's value as `metrics_format` leaves it: runtimes, `GF`, floats to 4 places. */
export type Metric = { runtime: number } | { flos: number } | { float: number } | { int: number };

function formatMetric(v: Metric): string {
  if ("runtime" in v) return secs2timedelta(v.runtime);
  if ("flos" in v) return `${Math.floor(v.flos / 2 ** 30)}GF`;
  if ("float" in v) return pyFloat(pyRound(v.float, 4));
  return String(v.int);
}

/** `log_metrics`: a printed block, keys sorted and padded, values right-aligned. */
export function metricsBlock(split: string, metrics: Record<string, Metric>): string {
  const shown = Object.keys(metrics).sort().map((k) => [k, formatMetric(metrics[k])] as const);
  const kw = Math.max(...shown.map(([k]) => k.length));
  const vw = Math.max(...shown.map(([, v]) => v.length));
  return [
    `***** ${split} metrics *****`,
    ...shown.map(([k, v]) => `  ${k.padEnd(kw)} = ${v.padStart(vw)}`),
  ].join("\n") + "\n";
}

/** The numbers `speed_metrics` and the loop's end put in the train output. */
export interface TrainOutput {
  runtimeS: number;
  samplesPerS: number;
  stepsPerS: number;
  trainLoss: number;
  totalFlos: number;
}

/** The train output for a run whose loop ran `runtimeS` seconds. */
export function trainOutput(
  cfg: RunConfig,
  prof: HfProfile,
  runtimeS: number,
  meanLoss: number,
): TrainOutput {
  const runtime = pyRound(runtimeS, 4);
  const tokens = cfg.totalSteps * cfg.globalBatch * cfg.seqLen;
  const nonEmbedding = cfg.model.params - cfg.model.vocab * cfg.model.hidden;
  return {
    runtimeS: runtime,
    samplesPerS: pyRound((prof.trainExamples * cfg.epochs) / runtimeS, 3),
    stepsPerS: pyRound(cfg.totalSteps / runtimeS, 3),
    trainLoss: meanLoss,
    totalFlos: 6 * tokens * nonEmbedding,
  };
}

/** The dict logged after "Training completed" (total_flos is popped before printing). */
export function trainOutputDict(o: TrainOutput, epoch: number): string {
  return pyDict([
    ["train_runtime", pyFloat(o.runtimeS)],
    ["train_samples_per_second", pyFloat(o.samplesPerS)],
    ["train_steps_per_second", pyFloat(o.stepsPerS)],
    ["train_loss", pyFloat(o.trainLoss)],
    ["epoch", pyFloat(pyRound(epoch, 2))],
  ]);
}

/**
 * The `***** train metrics *****` block: the train output's metrics, and run_clm.py's count of
 * training rows (LLaMA-Factory's workflow logs the train output as it is).
 */
export function trainMetrics(cfg: RunConfig, prof: HfProfile, o: TrainOutput): string {
  return metricsBlock("train", {
    epoch: { float: cfg.epochs },
    total_flos: { flos: o.totalFlos },
    train_loss: { float: o.trainLoss },
    train_runtime: { runtime: o.runtimeS },
    ...(prof.lf ? {} : { train_samples: { int: prof.trainExamples } }),
    train_samples_per_second: { float: o.samplesPerS },
    train_steps_per_second: { float: o.stepsPerS },
  });
}

/** The traceback Ctrl-C leaves in rank 0: it lands while the loop waits on the loss's NaN check. */
export function keyboardInterrupt(cfg: RunConfig, prof: HfProfile): string {
  const minor = Number(cfg.cluster.pythonVersion.split(".")[1]);
  const f = prof.release.frames, s = f.loopNanCheck;
  const trainer = `${pythonPaths(cfg).site}/transformers/trainer.py`;
  const frames = [
    ...hfHead(cfg, f),
    frame(trainer, s.line, "_inner_training_loop", s.code, s.call),
  ];
  // Python 3.11 and later mark the failing expression of a one-line statement with carets.
  return pyTraceback(frames, "KeyboardInterrupt", minor >= 11).join("\n") + "\n";
}

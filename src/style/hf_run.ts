/**
 * The state of one Hugging Face run's writer: the training loop's bars, what the tracker has
 * been sent (for wandb's footer), the saves kept under `save_total_limit`, the train output.
 */
import type { DataEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { hostName } from "../sim/names.ts";
import type { CapturedLog } from "./hf_capture.ts";
import { evalBatches, hfEpoch, type HfProfile, hfProfile } from "./hf_profile.ts";
import type { LoopState } from "./hf_train.ts";
import type { TrainOutput } from "./hf_end.ts";
import { summaryValue, type WandbRun } from "./hf_wandb.ts";
import { pyFloat, pyRound } from "../format/python_repr.ts";
import { type GpuMonitorState, openGpuMonitor } from "./gpu_monitor.ts";
import { type JobScript, jobScript, scriptMonitor } from "./job_script.ts";

type StepData = Extract<DataEvent, { type: "step" }>["data"];

/** The last evaluation: what the final `trainer.evaluate()` finds again. */
export interface LastEval {
  loss: number;
  accuracy: number;
  time_s: number;
  batches: number;
}

/** One run's writer state. */
export interface HfRun {
  cfg: RunConfig;
  prof: HfProfile;
  loop: LoopState;
  host0: string;
  banners: number;
  bannerMs: number | null;
  valStartMs: number;
  /** When the processes came up (`dist.init`), ms: LLaMA-Factory's data stage follows it. */
  distMs: number;
  /** When the pretrained model's load began, ms. */
  loadMs: number;
  /** Shards of the pretrained weights `from_pretrained` is reading, until its bar is done. */
  readingShards: number;
  saveStartMs: number;
  saved: string[];
  nanSteps: Set<number>;
  /** Steps whose update the grad scaler skipped: the scheduler did not advance on them. */
  skippedSteps: number;
  lossSum: number;
  lossCount: number;
  /** The global step this session started from (a resumed run's checkpoint), 0 when fresh. */
  resumedAt: number;
  lastEval: LastEval | null;
  output: TrainOutput | null;
  wandb: WandbRun | null;
  /** Every value sent to wandb, by key (its history); the last ones make its summary. */
  history: Map<string, number[]>;
  /** The main process's last record, ms (its log never goes back in time). */
  mainMs: number;
  /** The batch script around the launch: `set -x`, its nvidia-smi calls, its GPU monitor. */
  script: JobScript;
  /** The GPU monitor the script runs beside training (tool `none` when it runs none). */
  monitor: GpuMonitorState;
}

/** A writer's state before the run's first line. */
export function hfRun(cfg: RunConfig, log: CapturedLog): HfRun {
  const prof = hfProfile(cfg);
  const script = jobScript(cfg, "hf");
  return {
    cfg,
    prof,
    loop: {
      cfg,
      prof,
      log,
      rng: createRng(cfg.seed, "style:hf:loop"),
      startMs: cfg.startMs,
      bar: null,
      step: 0,
      elapsedS: 0,
      pauseEndS: 0,
      frame: "",
      evalBar: null,
      evalFrame: "",
      evalLastS: 0,
    },
    host0: hostName(cfg.cluster, 0),
    banners: 0,
    bannerMs: null,
    valStartMs: 0,
    distMs: cfg.startMs,
    loadMs: cfg.startMs,
    readingShards: 0,
    saveStartMs: 0,
    saved: [],
    nanSteps: new Set(),
    skippedSteps: 0,
    lossSum: 0,
    lossCount: 0,
    resumedAt: 0,
    lastEval: null,
    output: null,
    wandb: null,
    history: new Map(),
    mainMs: 0,
    script,
    // srun starts the script's monitor on every node, as it starts the launch.
    monitor: scriptMonitor(script, openGpuMonitor(cfg, { trace: script.trace, fanout: "srun" })),
  };
}

function send(r: HfRun, key: string, value: number): void {
  if (!r.wandb) return;
  const series = r.history.get(key);
  if (series) series.push(value);
  else r.history.set(key, [value]);
}

/** A logged step: its loss counts in the run's mean; a logging step goes to the tracker. */
export function recordStep(r: HfRun, d: StepData): void {
  r.lossSum += d.loss;
  r.lossCount += 1;
  if (d.step % r.cfg.logInterval !== 0) return;
  send(r, "train/loss", pyRound(d.loss, 4));
  send(r, "train/grad_norm", Math.fround(d.grad_norm));
  send(r, "train/learning_rate", d.lr);
  send(r, "train/epoch", hfEpoch(r.cfg, r.prof, d.step));
  send(r, "train/global_step", d.step);
}

/** An evaluation: kept for the final one, sent to the tracker. */
export function recordEval(
  r: HfRun,
  loss: number,
  accuracy: number,
  timeS: number,
  step: number,
): void {
  const p = r.prof;
  const batches = evalBatches(r.cfg, p);
  r.lastEval = { loss, accuracy, time_s: timeS, batches };
  send(r, "eval/loss", Math.fround(loss));
  // LLaMA-Factory's SFT trainer computes no accuracy unless asked.
  if (!p.lf) send(r, "eval/accuracy", accuracy);
  send(r, "eval/runtime", pyRound(timeS, 4));
  send(r, "eval/samples_per_second", pyRound(p.evalExamples / timeS, 3));
  send(r, "eval/steps_per_second", pyRound(batches / timeS, 3));
  send(r, "train/epoch", hfEpoch(r.cfg, p, step));
  send(r, "train/global_step", step);
}

/**
 * The Trainer's last log, its train output: the callback keeps its scalars for the summary and
 * logs the rest, the epoch, with the global step (one more point in both series).
 */
export function recordTrainEnd(r: HfRun): void {
  send(r, "train/epoch", r.cfg.epochs);
  send(r, "train/global_step", r.cfg.totalSteps);
}

/** wandb's summary: each series' last value, and the train output's scalars. */
export function wandbSummary(r: HfRun): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of r.history) out.set(k, summaryValue(v[v.length - 1]));
  const o = r.output;
  if (o) {
    out.set("total_flos", summaryValue(o.totalFlos, true));
    out.set("train_loss", summaryValue(o.trainLoss));
    out.set("train_runtime", pyFloat(o.runtimeS));
    out.set("train_samples_per_second", pyFloat(o.samplesPerS));
    out.set("train_steps_per_second", pyFloat(o.stepsPerS));
  }
  return out;
}

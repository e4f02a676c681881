/**
 * nanoGPT's `train.py` (karpathy/nanoGPT, 2023–2024) under torchrun: torchrun's OMP banner, the
 * start-up prints of every rank, then rank 0's `step N: train loss X, val loss Y` at iter 0 and
 * every eval_interval (with `saving checkpoint to <out_dir>` after each but the first) and
 * `iter N: loss X, time Yms, mfu Z%` every log_interval. Iterations count from 0: the
 * simulation's step s is `iter s-1`. `time` is the last iteration's wall time, evaluation and
 * checkpoint included; `mfu` is nanoGPT's running estimate (see nanogptMfu). A crash shows as
 * torch, torchrun and Slurm print it (fault_lines.ts); the relaunched job prints its start-up
 * again with `--init_from=resume` and resumes.
 */
import type { DataEvent, LogEventOf } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { decimal } from "../format/units.ts";
import { blank, defineStyle, forKeys, NCCL_KEYS } from "./define.ts";
import { launchOf, lineRng } from "./ranks.ts";
import { ompBanner } from "./torchrun_lines.ts";
import type { FaultStyle } from "./fault_lines.ts";
import { backwardFrames, frame, moduleCall } from "./torch_frames.ts";
import { type FrameSite, optimizerFrames } from "./torch_sites.ts";
import type { PyFrame } from "./tracebacks.ts";
import { pythonPaths } from "./torch_source.ts";
import {
  nanoModel,
  paramGroups,
  scriptPath,
  type SetupStage,
  setupStage,
} from "./nanogpt_setup.ts";
import { followsTrainGpt2, nanoLaunch } from "./nanogpt_recipes.ts";

const NAME = "nanogpt";
/** nanoGPT starts its running MFU estimate at this iteration of each process. */
export const MFU_WARMUP_ITERS = 5;
/** The A100's bf16 peak nanoGPT divides by, whatever the GPU. */
export const NANOGPT_PEAK_FLOPS = 312e12;

type StepEvent = Extract<DataEvent, { type: "step" }>;
type ValEvent = Extract<DataEvent, { type: "val" }>;

/** What the writer carries from line to line. */
interface NanoState {
  outDir: string;
  /** -1 until the first estimate of this process, as nanoGPT keeps it. */
  runningMfu: number;
  /** Steps done when the current process started (its iter_num at launch). */
  launchStep: number;
  /** Seconds an evaluation and its checkpoint added after step `step` (in the next iteration). */
  pause: { step: number; seconds: number };
  /** The checkpoint just written, folded into the evaluation of the same step. */
  ckpt: { step: number; seconds: number };
  /** The checkpoint a job relaunched after a fault resumes from (none before a fault). */
  relaunchStep?: number;
}

function init(cfg: RunConfig): NanoState {
  const rng = createRng(cfg.seed, "style:nanogpt:out_dir");
  const drawn = rng.chance(0.5) ? "out" : `out-${cfg.dataset.id.split("-")[0]}`;
  return {
    outDir: followsTrainGpt2(cfg) ? nanoLaunch(cfg).outDir : drawn,
    runningMfu: -1,
    launchStep: cfg.resumeStep,
    pause: { step: -1, seconds: 0 },
    ckpt: { step: -1, seconds: 0 },
  };
}

/** nanoGPT's estimate_mfu(): one iteration's model FLOPs per second over 312 TFLOP/s. */
export function nanogptMfu(cfg: RunConfig, dtSeconds: number): number {
  const n = nanoModel(cfg);
  const N = paramGroups(n).params;
  const flopsPerToken = 6 * N + 12 * n.layers * n.heads * (n.embd / n.heads) * n.block;
  const perIter = flopsPerToken * n.block * cfg.plan.microBatch * cfg.gradAccum;
  return perIter / dtSeconds / NANOGPT_PEAK_FLOPS;
}

/** The running MFU after an iteration: the first estimate, then 0.9 · old + 0.1 · new. */
export function nextRunningMfu(running: number, mfu: number): number {
  return running === -1 ? mfu : 0.9 * running + 0.1 * mfu;
}

/** Python's `f"{x:.Nf}"`, which writes `nan` where JavaScript writes NaN. */
function fixed(x: number, digits: number): string {
  return Number.isNaN(x) ? "nan" : x.toFixed(digits);
}

/** Relative spread of one micro-batch's loss around its iteration's mean. */
const MICRO_BATCH_SIGMA = 0.015;

/** `iter N: …` for the simulation's step N+1 when it falls on log_interval. */
function iterLine(ev: StepEvent, cfg: RunConfig, st: NanoState): string {
  const d = ev.data, iter = d.step - 1;
  if (iter % cfg.logInterval !== 0) return "";
  const pause = st.pause.step === iter ? st.pause.seconds : 0;
  const dt = d.step_time_s + pause;
  if (iter - st.launchStep >= MFU_WARMUP_ITERS) {
    st.runningMfu = nextRunningMfu(st.runningMfu, nanogptMfu(cfg, dt));
  }
  // train.py prints the loss of the iteration's last micro-batch (`loss.item() * grad_accum`):
  // one micro-batch's worth of text, a few per cent off the whole batch's mean.
  // A fresh model predicts nearly the same for every batch; the spread grows as it learns.
  const learned = Math.min(1, Math.max(0.08, (Math.log(cfg.model.vocab) - d.loss) / 3));
  const lossf = d.loss * Math.exp(MICRO_BATCH_SIGMA * learned * lineRng(cfg, NAME, ev).normal());
  return `iter ${decimal(iter)}: loss ${fixed(lossf, 4)}, time ${(dt * 1000).toFixed(2)}ms, ` +
    `mfu ${(st.runningMfu * 100).toFixed(2)}%`;
}

/** The evaluation at iter_num N (and its checkpoint), when nanoGPT's own interval has one. */
function evalLine(ev: ValEvent, cfg: RunConfig, st: NanoState): string {
  const d = ev.data;
  if (d.step % cfg.pacing.evalInterval !== 0 || d.step > cfg.totalSteps - 1) return "";
  const saved = st.ckpt.step === d.step ? st.ckpt.seconds : 0;
  st.pause = { step: d.step, seconds: d.time_s + saved };
  const line = `step ${d.step}: train loss ${fixed(d.train_loss ?? d.loss, 4)}, ` +
    `val loss ${fixed(d.loss, 4)}`;
  return d.step > 0 ? `${line}\nsaving checkpoint to ${st.outDir}` : line;
}

/** A start-up stage as every rank of the first launch prints it. */
function setup(which: SetupStage) {
  return (
    ev: LogEventOf<"dist.versions" | "model.arch" | "model.wrap">,
    cfg: RunConfig,
    st: NanoState,
  ) =>
    setupStage(cfg, which, lineRng(cfg, NAME, ev), {
      outDir: st.outDir,
      logInterval: cfg.logInterval,
      resumed: cfg.resumeStep > 0 || launchOf(ev) > 0,
    });
}

/** Whether the job runs under torchrun (a single GPU runs plain `python train.py`). */
function underTorchrun(cfg: RunConfig): boolean {
  return cfg.worldSize > 1;
}

/** train.py's frames at the failing call at `site` (its loop runs at module level). */
export function nanogptFrames(cfg: RunConfig, site: FrameSite): PyFrame[] {
  const script = scriptPath(cfg), site_ = pythonPaths(cfg).site;
  const at = (line: number, code: string, call?: string) =>
    frame(script, line, "<module>", code, call);
  switch (site) {
    case "data":
      return [
        at(300, "X, Y = get_batch('train')", "get_batch"),
        frame(
          script,
          131,
          "get_batch",
          "x, y = x.pin_memory().to(device, non_blocking=True), y.pin_memory().to(device, non_blocking=True)",
          "x.pin_memory",
        ),
      ];
    case "optimizer":
      return [
        at(312, "scaler.step(optimizer)", "scaler.step"),
        frame(
          `${site_}/torch/amp/grad_scaler.py`,
          461,
          "step",
          "retval = self._maybe_opt_step(optimizer, optimizer_state, *args, **kwargs)",
          "self._maybe_opt_step",
        ),
        frame(
          `${site_}/torch/amp/grad_scaler.py`,
          356,
          "_maybe_opt_step",
          "retval = optimizer.step(*args, **kwargs)",
          "optimizer.step",
        ),
        ...optimizerFrames(cfg),
      ];
    case "sync":
      return [at(328, "lossf = loss.item() * gradient_accumulation_steps", "loss.item")];
    case "save":
      return [at(285, "torch.save(checkpoint, os.path.join(out_dir, 'ckpt.pt'))", "torch.save")];
    case "forward":
      break;
    default:
      return [
        at(307, "scaler.scale(loss).backward()", "scaler.scale(loss).backward"),
        ...backwardFrames(cfg),
      ];
  }
  const model = script.replace(/train\.py$/, "model.py");
  return [
    at(301, "logits, loss = model(X, Y)", "model"),
    ...moduleCall(cfg),
    frame(model, 186, "forward", "logits = self.lm_head(x)", "self.lm_head"),
    ...moduleCall(cfg),
    frame(
      `${site_}/torch/nn/modules/linear.py`,
      125,
      "forward",
      "return F.linear(input, self.weight, self.bias)",
      "F.linear",
    ),
  ];
}

/** nanoGPT's workers under torchrun (no `--tee`), or one `python train.py` process. */
function nanogptFaults(cfg: RunConfig): FaultStyle {
  return {
    style: NAME,
    view: { tee: () => "", shows: () => true, frames: nanogptFrames, single: !underTorchrun(cfg) },
    agent: { entrypoint: "train.py" },
  };
}

/** torchrun's banner, which a single-GPU `python train.py` run does not have. */
function banner(ev: LogEventOf<"torchrun.omp">, cfg: RunConfig, st: NanoState): string {
  // A relaunched job's process starts over from the fault's checkpoint.
  if (launchOf(ev) > 0) {
    st.runningMfu = -1;
    st.launchStep = st.relaunchStep ?? st.launchStep;
  }
  return underTorchrun(cfg) ? ompBanner(ev, cfg, NAME) : "";
}

/** nanoGPT's look. */
export const NANOGPT_STYLE = defineStyle<NanoState>({
  name: NAME,
  init,
  faults: nanogptFaults,
  logs: {
    ...blank("launch", "launch.job", "torchrun.rdzv", "torchrun.start", "dist.init"),
    ...blank("gpu.detect", "gpu.node", "gpu.driver", "model.init", "model.load", "model.memory"),
    ...blank("tokenizer", "dataset.open", "dataset.mixture", "dataset.epoch", "config.header"),
    ...blank("config", "seed", "ckpt.plan", "epoch.start", "fp16.overflow", "warning"),
    ...blank("val.start", "val.progress", "val.time", "ckpt.start", "ckpt.progress"),
    ...blank("load.progress", "resume.load", "resume.state", "resume.data", "summary.size"),
    ...blank("export.start", "export.format", "export.index", "export.extra", "export.progress"),
    ...blank("interrupt.resume", "node.fail", "node.recover"),
    ...forKeys(NCCL_KEYS, () => ""),
    "torchrun.omp": banner,
    "dist.versions": setup("config"),
    "model.arch": setup("model"),
    "model.wrap": setup("optimizer"),
  },
  otherLog: () => "",
  data: {
    run: "",
    step: iterLine,
    val: evalLine,
    ckpt: (ev, _cfg, st) => {
      if (ev.data.emergency) return "";
      st.ckpt = { step: ev.data.step, seconds: ev.data.time_s };
      // Saved right after its evaluation: the next iteration's time covers both.
      if (st.pause.step === ev.data.step) st.pause.seconds += ev.data.time_s;
      return "";
    },
    export: "",
    summary: "",
    allreduce: "",
    fault: (ev, _cfg, st) => {
      if (ev.data.resume_step !== undefined) st.relaunchStep = ev.data.resume_step;
      return "";
    },
    gpu: "",
  },
});

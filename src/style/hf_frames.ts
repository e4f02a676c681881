/**
 * run_clm.py's Python frames at the moments a worker dies under the Trainer, at the lines of the
 * run's transformers release: `main()` into `trainer.train()`, the inner loop's training step and
 * Accelerate's backward (where a CUDA error or Ctrl-C lands), or the model's forward inside
 * `compute_loss` (where an out-of-memory strikes).
 */
import type { RunConfig } from "../sim/run_config.ts";
import { backwardFrames, frame, moduleCall } from "./torch_frames.ts";
import { type FrameSite, loaderFrames, optimizerFrames } from "./torch_sites.ts";
import type { PyFrame } from "./tracebacks.ts";
import { pythonPaths } from "./torch_source.ts";
import { type HfFrameSite, type HfFrameSites, hfRelease } from "./hf_release.ts";
import { lfDir, lfJob } from "./hf_llamafactory.ts";

/** The folder run_clm.py runs from: the job script changes to it first. */
export function hfScriptDir(cfg: RunConfig): string {
  return `${cfg.cluster.home}/transformers/examples/pytorch/language-modeling`;
}

/** One of the release's frames in `file`, inside function `fn`. */
function at(file: string, fn: string, s: HfFrameSite): PyFrame {
  return frame(file, s.line, fn, s.code, s.call);
}

/** run_clm.py's two frames and `Trainer.train`'s, which every traceback starts with. */
export function hfHead(cfg: RunConfig, f: HfFrameSites): PyFrame[] {
  const script = `${hfScriptDir(cfg)}/run_clm.py`;
  const trainer = `${pythonPaths(cfg).site}/transformers/trainer.py`;
  const lf = lfJob(cfg, hfRelease(cfg));
  if (lf) {
    // LLaMA-Factory's entry, its workflow, then the Trainer.
    const src = `${lfDir(cfg)}/src/llamafactory`;
    return [
      ...lf.release.frames.map((s) => frame(`${src}/${s.file}`, s.line, s.fn, s.code, s.call)),
      at(trainer, "train", f.train),
    ];
  }
  return [
    at(script, "<module>", f.runClmModule),
    at(script, "main", f.runClmMain),
    at(trainer, "train", f.train),
  ];
}

/** The batch fetch: through `get_batch_samples` where the release has it, into the loader. */
function dataTail(cfg: RunConfig, f: HfFrameSites, trainer: string): PyFrame[] {
  const site = pythonPaths(cfg).site;
  const loop = "_inner_training_loop";
  return [
    at(trainer, loop, f.loopBatches),
    ...(f.batchSamples ? [at(trainer, "get_batch_samples", f.batchSamples)] : []),
    frame(
      `${site}/accelerate/data_loader.py`,
      567,
      "__iter__",
      "current_batch = next(dataloader_iter)",
      "next",
    ),
    ...loaderFrames(cfg),
  ];
}

/** The inner loop's frames past its head for the sites outside `training_step`. */
function loopTail(cfg: RunConfig, f: HfFrameSites, where: FrameSite, trainer: string): PyFrame[] {
  const site = pythonPaths(cfg).site, loop = "_inner_training_loop";
  switch (where) {
    case "data":
      return dataTail(cfg, f, trainer);
    case "optimizer":
      return [
        at(trainer, loop, f.loopOptimizer),
        frame(
          `${site}/accelerate/optimizer.py`,
          179,
          "step",
          "self.optimizer.step(closure)",
          "self.optimizer.step",
        ),
        frame(
          `${site}/torch/optim/lr_scheduler.py`,
          133,
          "wrapper",
          "return func.__get__(opt, opt.__class__)(*args, **kwargs)",
          "func.__get__(opt, opt.__class__)",
        ),
        ...optimizerFrames(cfg),
      ];
    case "sync":
      return [at(trainer, loop, f.loopNanCheck)];
    default:
      return [
        at(trainer, loop, f.loopSave),
        at(trainer, "_maybe_log_save_evaluate", f.maybeSave),
        at(trainer, "_save_checkpoint", f.saveCheckpoint),
        at(trainer, "_save_optimizer_and_scheduler", f.saveOptimizer),
      ];
  }
}

/** The Trainer's frames for a worker failing at `where`, at the run's release's lines. */
export function hfFrames(cfg: RunConfig, where: FrameSite): PyFrame[] {
  const f = hfRelease(cfg).frames;
  const site = pythonPaths(cfg).site, trainer = `${site}/transformers/trainer.py`;
  const head = hfHead(cfg, f);
  if (where === "data" || where === "optimizer" || where === "sync" || where === "save") {
    return [...head, ...loopTail(cfg, f, where, trainer)];
  }
  head.push(at(trainer, "_inner_training_loop", f.loopStep));
  if (where === "forward") {
    return [
      ...head,
      at(trainer, "training_step", f.stepLoss),
      at(trainer, "compute_loss", f.lossForward),
      ...moduleCall(cfg),
    ];
  }
  return [
    ...head,
    at(trainer, "training_step", f.stepBackward),
    frame(
      `${site}/accelerate/accelerator.py`,
      2740,
      "backward",
      "loss.backward(**kwargs)",
    ),
    ...backwardFrames(cfg),
  ];
}

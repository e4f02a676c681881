/**
 * run_clm.py's Python frames at the moments a worker dies under the Trainer (transformers
 * 4.57): `main()` into `trainer.train()`, the inner loop's training step and Accelerate's
 * backward (where a CUDA error or Ctrl-C lands), or the model's forward inside `compute_loss`
 * (where an out-of-memory strikes).
 */
import type { RunConfig } from "../sim/run_config.ts";
import { backwardFrames, frame, moduleCall } from "./torch_frames.ts";
import { type FrameSite, loaderFrames, optimizerFrames } from "./torch_sites.ts";
import type { PyFrame } from "./tracebacks.ts";
import { pythonPaths } from "./torch_source.ts";

/** The folder run_clm.py runs from: the job script changes to it first. */
export function hfScriptDir(cfg: RunConfig): string {
  return `${cfg.cluster.home}/transformers/examples/pytorch/language-modeling`;
}

/** run_clm.py's lines that call main() and trainer.train() (transformers 4.57's example). */
export const RUN_CLM_LINES = { module: 693, main: 641 } as const;

/** The inner loop's frames past its head for the sites outside `training_step`. */
function loopTail(cfg: RunConfig, where: FrameSite, trainer: string): PyFrame[] {
  const site = pythonPaths(cfg).site;
  switch (where) {
    case "data":
      return [
        frame(
          trainer,
          2627,
          "_inner_training_loop",
          "batch_samples, num_items_in_batch = self.get_batch_samples(epoch_iterator, num_batches, args.device)",
          "self.get_batch_samples",
        ),
        frame(
          trainer,
          5458,
          "get_batch_samples",
          "batch_samples.append(next(epoch_iterator))",
          "next",
        ),
        frame(
          `${site}/accelerate/data_loader.py`,
          567,
          "__iter__",
          "current_batch = next(dataloader_iter)",
          "next",
        ),
        ...loaderFrames(cfg),
      ];
    case "optimizer":
      return [
        frame(trainer, 2745, "_inner_training_loop", "self.optimizer.step()"),
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
      return [
        frame(
          trainer,
          2680,
          "_inner_training_loop",
          "and (torch.isnan(tr_loss_step) or torch.isinf(tr_loss_step))",
        ),
      ];
    default:
      return [
        frame(
          trainer,
          2804,
          "_inner_training_loop",
          "self._maybe_log_save_evaluate(",
          "self._maybe_log_save_evaluate",
        ),
        frame(
          trainer,
          3280,
          "_maybe_log_save_evaluate",
          "self._save_checkpoint(model, trial)",
          "self._save_checkpoint",
        ),
        frame(
          trainer,
          3379,
          "_save_checkpoint",
          "self._save_optimizer_and_scheduler(output_dir)",
          "self._save_optimizer_and_scheduler",
        ),
        frame(
          trainer,
          3512,
          "_save_optimizer_and_scheduler",
          "torch.save(self.optimizer.state_dict(), os.path.join(output_dir, OPTIMIZER_NAME))",
          "torch.save",
        ),
      ];
  }
}

/** The Trainer's frames for a worker failing at `where`, run_clm.py in `dir`. */
export function hfFrames(cfg: RunConfig, where: FrameSite): PyFrame[] {
  const site = pythonPaths(cfg).site, trainer = `${site}/transformers/trainer.py`;
  const script = `${hfScriptDir(cfg)}/run_clm.py`;
  const head = [
    frame(script, RUN_CLM_LINES.module, "<module>", "main()"),
    frame(
      script,
      RUN_CLM_LINES.main,
      "main",
      "train_result = trainer.train(resume_from_checkpoint=checkpoint)",
      "trainer.train",
    ),
    frame(trainer, 2325, "train", "return inner_training_loop("),
  ];
  if (where === "data" || where === "optimizer" || where === "sync" || where === "save") {
    return [...head, ...loopTail(cfg, where, trainer)];
  }
  head.push(
    frame(
      trainer,
      2674,
      "_inner_training_loop",
      "tr_loss_step = self.training_step(model, inputs, num_items_in_batch)",
      "self.training_step",
    ),
  );
  if (where === "forward") {
    return [
      ...head,
      frame(
        trainer,
        4020,
        "training_step",
        "loss = self.compute_loss(model, inputs, num_items_in_batch=num_items_in_batch)",
        "self.compute_loss",
      ),
      frame(trainer, 4110, "compute_loss", "outputs = model(**inputs)", "model"),
      ...moduleCall(cfg),
    ];
  }
  return [
    ...head,
    frame(trainer, 4071, "training_step", "self.accelerator.backward(loss, **kwargs)"),
    frame(
      `${site}/accelerate/accelerator.py`,
      2740,
      "backward",
      "loss.backward(**kwargs)",
    ),
    ...backwardFrames(cfg),
  ];
}

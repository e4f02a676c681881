/**
 * run_clm.py's Python frames at the moments a worker dies under the Trainer (transformers
 * 4.57): `main()` into `trainer.train()`, the inner loop's training step and Accelerate's
 * backward (where a CUDA error or Ctrl-C lands), or the model's forward inside `compute_loss`
 * (where an out-of-memory strikes).
 */
import type { RunConfig } from "../sim/run_config.ts";
import { backwardFrames, frame, moduleCall } from "./torch_frames.ts";
import type { PyFrame } from "./tracebacks.ts";
import { pythonPaths } from "./torch_source.ts";

/** The folder run_clm.py runs from: the job script changes to it first. */
export function hfScriptDir(cfg: RunConfig): string {
  return `${cfg.cluster.home}/transformers/examples/pytorch/language-modeling`;
}

/** run_clm.py's lines that call main() and trainer.train() (transformers 4.57's example). */
export const RUN_CLM_LINES = { module: 693, main: 641 } as const;

/** The Trainer's frames for a worker failing in `kind`, run_clm.py in `dir`. */
export function hfFrames(cfg: RunConfig, kind: "cuda" | "oom" | "interrupt"): PyFrame[] {
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
    frame(
      trainer,
      2674,
      "_inner_training_loop",
      "tr_loss_step = self.training_step(model, inputs, num_items_in_batch)",
      "self.training_step",
    ),
  ];
  if (kind === "oom") {
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

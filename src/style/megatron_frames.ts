/**
 * Megatron-LM's Python frames at the moments a worker dies: pretrain_gpt.py's `pretrain()` down
 * through the training loop into the pipeline schedule's backward pass (where a CUDA error or
 * Ctrl-C lands) or into the model's forward (where an out-of-memory strikes), at the lines of
 * the release the style follows (Megatron-Core 0.9.0 or 0.12.0).
 */
import type { RunConfig } from "../sim/run_config.ts";
import { checkoutShift, frame, moduleCall } from "./torch_frames.ts";
import { type FrameSite, loaderFrames, optimizerFrames } from "./torch_sites.ts";
import { pythonPaths } from "./torch_source.ts";
import type { PyFrame } from "./tracebacks.ts";
import type { MegatronProfile } from "./megatron_profile.ts";

/** Line numbers of the two releases' sources. */
const LINES = {
  v09: {
    main: 264,
    pretrain: 355,
    train: 1300,
    step: 734,
    noPipe: 452,
    fwdStep: 274,
    bwdStep: 366,
    custom: 150,
    lossFn: 203,
    gptFwd: 235,
    layers: 1054,
  },
  v12: {
    main: 328,
    pretrain: 738,
    train: 2221,
    step: 1260,
    noPipe: 559,
    fwdStep: 289,
    bwdStep: 455,
    custom: 169,
    lossFn: 236,
    gptFwd: 298,
    layers: 1131,
  },
};

/** The step's frames outside the pipeline schedule: the optimizer, or the loss's logging. */
function trainTail(cfg: RunConfig, site: FrameSite, root: string, l: Lines): PyFrame[] {
  const training = `${root}/megatron/training/training.py`;
  if (site === "sync") {
    return [
      frame(training, l.train + 31, "train", "report_memory_flag = training_log("),
      frame(training, l.step - 302, "training_log", "avg = total_loss_dict[key].item() / float("),
    ];
  }
  const opt = `${root}/megatron/core/optimizer/optimizer.py`;
  // Both optimizer methods run under @torch.no_grad(): torch's wrapper sits above each.
  const noGrad = frame(
    `${pythonPaths(cfg).site}/torch/utils/_contextlib.py`,
    116,
    "decorate_context",
    "return func(*args, **kwargs)",
    "func",
  );
  return [
    frame(
      training,
      l.step + 58,
      "train_step",
      "update_successful, grad_norm, num_zeros_in_grad = optimizer.step()",
      "optimizer.step",
    ),
    noGrad,
    frame(opt, 474, "step", "success = self.step_with_ready_grads()", "self.step_with_ready_grads"),
    noGrad,
    frame(opt, 429, "step_with_ready_grads", "self.optimizer.step()", "self.optimizer.step"),
    ...optimizerFrames(cfg),
  ];
}

/** The forward step's frames down to the batch a loader worker failed to deliver. */
function dataTail(cfg: RunConfig, root: string, l: Lines): PyFrame[] {
  const gpt = `${root}/pretrain_gpt.py`;
  return [
    frame(
      gpt,
      l.lossFn - 9,
      "forward_step",
      "tokens, labels, loss_mask, attention_mask, position_ids = get_batch(",
      "get_batch",
    ),
    frame(
      gpt,
      l.lossFn - 97,
      "get_batch",
      "batch = get_batch_on_this_tp_rank(data_iterator)",
      "get_batch_on_this_tp_rank",
    ),
    frame(
      `${root}/megatron/training/utils.py`,
      291,
      "get_batch_on_this_tp_rank",
      "data = next(data_iterator)",
      "next",
    ),
    ...loaderFrames(cfg),
  ];
}

type Lines = typeof LINES.v09;

/** The schedule's frames from its loop into the script's forward_step function. */
function forwardStep(schedules: string, l: Lines): PyFrame[] {
  return [
    frame(
      schedules,
      l.noPipe - 14,
      "forward_backward_no_pipelining",
      "output_tensor, num_tokens = forward_step(",
    ),
    frame(
      schedules,
      l.fwdStep,
      "forward_step",
      "output_tensor, loss_func = forward_step_func(data_iterator, model)",
      "forward_step_func",
    ),
  ];
}

/** The release's lines moved by the cluster's own edits to training.py and pretrain_gpt.py. */
function checkoutLines(cfg: RunConfig, base: Lines): Lines {
  const train = checkoutShift(cfg, 3, [0, 0, 2, 7, -3, 15]);
  const gpt = checkoutShift(cfg, 4, [0, 0, 1, 4, 9]);
  return {
    ...base,
    main: base.main + gpt,
    lossFn: base.lossFn + gpt,
    pretrain: base.pretrain + train,
    train: base.train + train,
    step: base.step + train,
  };
}

/** Megatron's frames for a worker failing at `site`. */
export function megatronFrames(
  cfg: RunConfig,
  profile: MegatronProfile,
  site: FrameSite,
): PyFrame[] {
  const l = checkoutLines(cfg, profile.later ? LINES.v12 : LINES.v09), root = profile.repo;
  const training = `${root}/megatron/training/training.py`;
  const schedules = `${root}/megatron/core/pipeline_parallel/schedules.py`;
  const outer = [
    frame(`${root}/pretrain_gpt.py`, l.main, "<module>", "pretrain("),
    frame(
      training,
      l.pretrain,
      "pretrain",
      "iteration, num_floating_point_operations_so_far = train(",
    ),
    frame(training, l.train, "train", "train_step(forward_step_func,"),
  ];
  if (site === "sync") return [...outer.slice(0, -1), ...trainTail(cfg, site, root, l)];
  if (site === "optimizer" || site === "save") return [...outer, ...trainTail(cfg, site, root, l)];
  const head = [
    ...outer,
    frame(training, l.step, "train_step", "losses_reduced = forward_backward_func("),
  ];
  if (site === "data") {
    return [
      ...head,
      ...forwardStep(schedules, l),
      ...dataTail(cfg, root, l),
    ];
  }
  if (site !== "forward") {
    return [
      ...head,
      frame(
        schedules,
        l.noPipe,
        "forward_backward_no_pipelining",
        "backward_step(input_tensor, output_tensor, output_tensor_grad, model_type, config)",
        "backward_step",
      ),
      frame(
        schedules,
        l.bwdStep,
        "backward_step",
        "custom_backward(output_tensor[0], output_tensor_grad[0])",
        "custom_backward",
      ),
      frame(
        schedules,
        l.custom,
        "custom_backward",
        "Variable._execution_engine.run_backward(",
      ),
    ];
  }
  return [
    ...head,
    ...forwardStep(schedules, l),
    frame(
      `${root}/pretrain_gpt.py`,
      l.lossFn,
      "forward_step",
      "output_tensor = model(tokens, position_ids, attention_mask,",
    ),
    ...moduleCall(cfg),
    frame(
      `${root}/megatron/core/models/gpt/gpt_model.py`,
      l.gptFwd,
      "forward",
      "logits, _ = self.output_layer(",
    ),
    ...moduleCall(cfg),
    frame(
      `${root}/megatron/core/tensor_parallel/layers.py`,
      l.layers,
      "forward",
      "output_parallel = self._forward_impl(",
    ),
  ];
}

/**
 * Megatron-LM's Python frames at the moments a worker dies: pretrain_gpt.py's `pretrain()` down
 * through the training loop into the pipeline schedule's backward pass (where a CUDA error or
 * Ctrl-C lands) or into the model's forward (where an out-of-memory strikes), at the lines of
 * the release the style follows (Megatron-Core 0.9.0 or 0.12.0).
 */
import type { RunConfig } from "../sim/run_config.ts";
import { frame, moduleCall } from "./torch_frames.ts";
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

/** Megatron's frames for a worker failing in `kind`. */
export function megatronFrames(
  cfg: RunConfig,
  profile: MegatronProfile,
  kind: "cuda" | "oom" | "interrupt",
): PyFrame[] {
  const l = profile.later ? LINES.v12 : LINES.v09, root = profile.repo;
  const training = `${root}/megatron/training/training.py`;
  const schedules = `${root}/megatron/core/pipeline_parallel/schedules.py`;
  const head = [
    frame(`${root}/pretrain_gpt.py`, l.main, "<module>", "pretrain("),
    frame(
      training,
      l.pretrain,
      "pretrain",
      "iteration, num_floating_point_operations_so_far = train(",
    ),
    frame(training, l.train, "train", "train_step(forward_step_func,"),
    frame(training, l.step, "train_step", "losses_reduced = forward_backward_func("),
  ];
  if (kind !== "oom") {
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

/**
 * The Python frames of a plain training script at the moment it fails: where a CUDA error
 * surfaces (the first synchronising call, `loss.item()`), where an out-of-memory strikes
 * (inside a module's forward), where Ctrl-C lands. Styles of real frameworks give their own.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { callSpan, type PyFrame } from "./tracebacks.ts";
import { pythonPaths, torchSource } from "./torch_source.ts";

/** A frame whose caret marks the call `call` inside `code`. */
export function frame(
  file: string,
  line: number,
  fn: string,
  code: string,
  call?: string,
): PyFrame {
  return { file, line, fn, code, ...(call ? { caret: callSpan(code, call) } : {}) };
}

/** torch's own frames of `module(input)` (Module.__call__'s two levels). */
export function moduleCall(cfg: RunConfig): PyFrame[] {
  const site = pythonPaths(cfg).site, src = torchSource(cfg).py;
  const file = `${site}/torch/nn/modules/module.py`;
  return [
    frame(
      file,
      src.wrapped,
      "_wrapped_call_impl",
      "return self._call_impl(*args, **kwargs)",
      "self._call_impl",
    ),
    frame(file, src.call, "_call_impl", "return forward_call(*args, **kwargs)", "forward_call"),
  ];
}

/** torch's own frames of `loss.backward()`, down to the C++ engine. */
export function backwardFrames(cfg: RunConfig): PyFrame[] {
  const site = pythonPaths(cfg).site, src = torchSource(cfg).py;
  return [
    frame(`${site}/torch/_tensor.py`, src.tensorBackward, "backward", "torch.autograd.backward("),
    frame(`${site}/torch/autograd/__init__.py`, src.autograd, "backward", "_engine_run_backward("),
    frame(
      `${site}/torch/autograd/graph.py`,
      src.engine,
      "_engine_run_backward",
      "return Variable._execution_engine.run_backward(  # Calls into the C++ engine to run the " +
        "backward pass",
    ),
  ];
}

/** The frames of a generic `train.py` at the failing call. */
export function defaultFrames(cfg: RunConfig, kind: "cuda" | "oom" | "interrupt"): PyFrame[] {
  const script = `/workspace/${cfg.cluster.script}`;
  const head = [
    frame(script, 412, "<module>", "main()"),
    frame(script, 398, "main", "train(args, model, optimizer, train_loader)", "train"),
  ];
  if (kind === "cuda") {
    return [...head, frame(script, 287, "train", "running_loss += loss.item()", "loss.item")];
  }
  if (kind === "interrupt") {
    return [...head, frame(script, 274, "train", "loss.backward()", "loss.backward")];
  }
  return [
    ...head,
    frame(script, 262, "train", "logits = model(input_ids)", "model"),
    ...moduleCall(cfg),
  ];
}

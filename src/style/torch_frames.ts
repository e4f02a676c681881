/**
 * The Python frames of a plain training script at the moment it fails: where a CUDA error
 * surfaces (the first synchronising call, `loss.item()`), where an out-of-memory strikes
 * (inside a module's forward), where Ctrl-C lands. Styles of real frameworks give their own.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { callSpan, type PyFrame } from "./tracebacks.ts";
import { pythonPaths, torchSource } from "./torch_source.ts";
import { hashUnit } from "../sim/rng.ts";
import { type FrameSite, loaderFrames, optimizerFrames } from "./torch_sites.ts";

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

/**
 * The lines a script's own functions moved by in the checkout this cluster runs: the same
 * release edited or updated in place (0 for an untouched checkout), one shift per source file.
 */
export function checkoutShift(cfg: RunConfig, file: number, shifts: readonly number[]): number {
  const k = hashUnit(cfg.cluster.layout.salt, 0x7417 + 31 * file);
  return shifts[Math.floor(k * shifts.length)];
}

/** The frames of a generic `train.py` at the failing call at `site`. */
export function defaultFrames(cfg: RunConfig, site: FrameSite): PyFrame[] {
  const script = `/workspace/${cfg.cluster.script}`;
  const d = checkoutShift(cfg, 0, [0, 0, 3, 8, -5, 14, 21]);
  const head = [
    frame(script, 412 + d, "<module>", "main()"),
    frame(script, 398 + d, "main", "train(args, model, optimizer, train_loader)", "train"),
  ];
  const at = (line: number, code: string, call?: string) =>
    frame(script, line + d, "train", code, call);
  switch (site) {
    case "sync":
      return [...head, at(287, "running_loss += loss.item()", "loss.item")];
    case "interrupt":
    case "backward":
      return [...head, at(274, "loss.backward()", "loss.backward"), ...backwardFrames(cfg)];
    case "data":
      return [...head, at(251, "batch = next(train_iter)", "next"), ...loaderFrames(cfg)];
    case "optimizer":
      return [...head, at(281, "optimizer.step()", "optimizer.step"), ...optimizerFrames(cfg)];
    case "save":
      return [
        ...head,
        at(301, "save_checkpoint(args, model, optimizer, step)", "save_checkpoint"),
        frame(script, 88 + d, "save_checkpoint", "torch.save(state, path)", "torch.save"),
      ];
    default:
      return [...head, at(262, "logits = model(input_ids)", "model"), ...moduleCall(cfg)];
  }
}

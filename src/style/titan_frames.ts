/**
 * torchtitan's Python frames at the moments a worker dies: the training loop down to the
 * backward pass (where a CUDA error or Ctrl-C lands) or into a feed-forward layer's forward
 * (where an out-of-memory strikes), as `python -m torchtitan.train` runs it.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { backwardFrames, checkoutShift, frame, moduleCall } from "./torch_frames.ts";
import { type FrameSite, loaderFrames, optimizerFrames } from "./torch_sites.ts";
import type { PyFrame } from "./tracebacks.ts";
import { pythonMinor, pythonPaths, stdlibDir, torchAtLeast, torchSource } from "./torch_source.ts";

/** Line numbers of torchtitan's sources in the two releases the style follows. */
const LINES = {
  v1: { main: 553, train: 492, step: 431, fwd: 409, bwd: 413, layer: 428, block: 301, ffn: 237 },
  v2: { main: 685, train: 610, step: 510, fwd: 486, bwd: 490, layer: 499, block: 362, ffn: 297 },
};

/** Where the torchtitan checkout lives on this cluster. */
export function titanRoot(cfg: RunConfig): string {
  return cfg.cluster.layout.salt % 2 === 0
    ? "/workspace/torchtitan"
    : `${cfg.cluster.home}/torchtitan`;
}

/** The interpreter's frames of `python -m`: frozen in 3.11+, runpy.py before. */
function runpy(cfg: RunConfig): PyFrame[] {
  if (pythonMinor(cfg) >= 11) {
    return [
      { file: "<frozen runpy>", line: 198, fn: "_run_module_as_main", code: "" },
      { file: "<frozen runpy>", line: 88, fn: "_run_code", code: "" },
    ];
  }
  const file = `${stdlibDir(cfg)}/runpy.py`;
  return [
    frame(file, 196, "_run_module_as_main", "return _run_code(code, main_globals, None,"),
    frame(file, 86, "_run_code", "exec(code, run_globals)"),
  ];
}

/**
 * The lines of the commit this cluster checked out: a release's lines, moved by what was added
 * above each function since (train.py's methods and model.py's each by their own amount).
 */
function checkoutLines(cfg: RunConfig, base: typeof LINES.v1): typeof LINES.v1 {
  const train = checkoutShift(cfg, 0, [0, 9, -4, 17, 26, 12]);
  const model = checkoutShift(cfg, 1, [0, 0, 3, 6, -2, 11]);
  return {
    main: base.main + train,
    train: base.train + train,
    step: base.step + train,
    fwd: base.fwd + train,
    bwd: base.bwd + train,
    layer: base.layer + model,
    block: base.block + model,
    ffn: base.ffn + model,
  };
}

/** train_step's frames past its head for the sites that end outside the model. */
function stepTail(cfg: RunConfig, site: FrameSite, train: string, l: typeof LINES.v1): PyFrame[] {
  const root = titanRoot(cfg);
  switch (site) {
    case "data":
      return [
        frame(
          train,
          l.step - 24,
          "train_step",
          "input_dict, labels = self.next_batch(data_iterator)",
          "self.next_batch",
        ),
        frame(train, l.step - 61, "next_batch", "batch = next(data_iterator)", "next"),
        ...loaderFrames(cfg).slice(0, 1),
      ];
    case "optimizer":
      return [
        frame(train, l.step + 19, "train_step", "self.optimizers.step()"),
        frame(
          `${root}/torchtitan/components/optimizer.py`,
          91,
          "step",
          "optimizer.step(*args, **kwargs)",
        ),
        ...optimizerFrames(cfg),
      ];
    default: {
      const utils = `${root}/torchtitan/distributed/utils.py`;
      return [
        frame(
          train,
          l.step + 44,
          "train_step",
          'dist_utils.dist_mean(loss, parallel_dims.world_mesh["dp_cp"]),',
          "dist_utils.dist_mean",
        ),
        frame(
          utils,
          66,
          "dist_mean",
          "return _dist_reduce(x, reduceOp=c10d.ReduceOp.AVG.name, mesh=mesh)",
          "_dist_reduce",
        ),
        frame(
          utils,
          46,
          "_dist_reduce",
          "return funcol.all_reduce(x, reduceOp=reduceOp, group=mesh).item()",
        ),
      ];
    }
  }
}

/** torchtitan's frames for a worker failing at `site`. */
export function titanFrames(cfg: RunConfig, site: FrameSite): PyFrame[] {
  const v2 = torchAtLeast(cfg, 8), l = checkoutLines(cfg, v2 ? LINES.v2 : LINES.v1);
  const root = titanRoot(cfg), train = `${root}/torchtitan/train.py`, pkgs = pythonPaths(cfg).site;
  const model = `${root}/torchtitan/models/llama3/model/model.py`;
  const src = torchSource(cfg);
  const head = [
    ...runpy(cfg),
    frame(train, l.main, "<module>", "trainer.train()"),
    frame(
      `${pkgs}/torch/distributed/elastic/multiprocessing/errors/__init__.py`,
      src.errorsWrapper,
      "wrapper",
      "return f(*args, **kwargs)",
      "f(",
    ),
    frame(train, l.train, "train", "self.train_step(data_iterator)"),
  ];
  if (site === "data" || site === "optimizer" || site === "sync" || site === "save") {
    return [...head, ...stepTail(cfg, site, train, l)];
  }
  head.push(
    frame(
      train,
      l.step,
      "train_step",
      "loss = self.forward_backward_step(input_dict, labels)",
      "self.forward_backward_step",
    ),
  );
  if (site !== "forward") {
    return [
      ...head,
      frame(train, l.bwd, "forward_backward_step", "loss.backward()"),
      ...backwardFrames(cfg),
    ];
  }
  const call = v2
    ? "pred = model_parts[0](inputs, **extra_inputs, **extra_kwargs)"
    : "pred = model_parts[0](inputs)";
  const layer = v2
    ? "h = layer(h, self.freqs_cis, attention_masks=attention_masks)"
    : "h = layer(h, self.freqs_cis)";
  return [
    ...head,
    frame(train, l.fwd, "forward_backward_step", call, "model_parts[0]"),
    ...moduleCall(cfg),
    frame(model, l.layer, "forward", layer, "layer"),
    ...moduleCall(cfg),
    frame(
      model,
      l.block,
      "forward",
      "out = h + self.feed_forward(self.ffn_norm(h))",
      "self.feed_forward",
    ),
    ...moduleCall(cfg),
    frame(model, l.ffn, "forward", "return self.w2(F.silu(self.w1(x)) * self.w3(x))", "self.w3"),
    ...moduleCall(cfg),
    frame(
      `${pkgs}/torch/nn/modules/linear.py`,
      125,
      "forward",
      "return F.linear(input, self.weight, self.bias)",
      "F.linear",
    ),
  ];
}

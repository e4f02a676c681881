/**
 * torchtitan's Python frames at the moments a worker dies: the training loop down to the
 * backward pass (where a CUDA error or Ctrl-C lands) or into a feed-forward layer's forward
 * (where an out-of-memory strikes), as `python -m torchtitan.train` runs it.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { hashUnit } from "../sim/rng.ts";
import { backwardFrames, frame, moduleCall } from "./torch_frames.ts";
import type { PyFrame } from "./tracebacks.ts";
import { pythonMinor, pythonPaths, torchAtLeast, torchSource } from "./torch_source.ts";

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
  const file = pythonPaths(cfg).python.replace(
    /bin\/python3?$/,
    `lib/python3.${pythonMinor(cfg)}/runpy.py`,
  );
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
  const k = hashUnit(cfg.cluster.layout.salt, 0x7417);
  const [train, model] = COMMIT_SHIFTS[Math.floor(k * COMMIT_SHIFTS.length)];
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

/** Line shifts of the checkouts drawn: [train.py, model.py]. */
const COMMIT_SHIFTS: ReadonlyArray<[number, number]> = [
  [0, 0],
  [9, 0],
  [-4, 3],
  [17, 6],
  [26, -2],
  [12, 11],
];

/** torchtitan's frames for a worker failing in `kind`. */
export function titanFrames(cfg: RunConfig, kind: "cuda" | "oom" | "interrupt"): PyFrame[] {
  const v2 = torchAtLeast(cfg, 8), l = checkoutLines(cfg, v2 ? LINES.v2 : LINES.v1);
  const root = titanRoot(cfg), train = `${root}/torchtitan/train.py`, site = pythonPaths(cfg).site;
  const model = `${root}/torchtitan/models/llama3/model/model.py`;
  const src = torchSource(cfg);
  const head = [
    ...runpy(cfg),
    frame(train, l.main, "<module>", "trainer.train()"),
    frame(
      `${site}/torch/distributed/elastic/multiprocessing/errors/__init__.py`,
      src.errorsWrapper,
      "wrapper",
      "return f(*args, **kwargs)",
      "f(",
    ),
    frame(train, l.train, "train", "self.train_step(data_iterator)"),
    frame(
      train,
      l.step,
      "train_step",
      "loss = self.forward_backward_step(input_dict, labels)",
      "self.forward_backward_step",
    ),
  ];
  if (kind !== "oom") {
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
      `${site}/torch/nn/modules/linear.py`,
      125,
      "forward",
      "return F.linear(input, self.weight, self.bias)",
      "F.linear",
    ),
  ];
}

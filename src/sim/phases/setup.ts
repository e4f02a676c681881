/** Set-up after the communicators exist: GPUs, model, tokenizer, dataset and training config. */
import type { SimEvent } from "../events.ts";
import type { Rng } from "../rng.ts";
import { advance, logLine, progress, type Timeline } from "../timeline.ts";

/** Items of the training configuration block. */
const CONFIG_ITEMS = 5;

/** Everything between NCCL init and the first training step. */
export function* setupPhase(t: Timeline, rng: Rng): Generator<SimEvent> {
  yield* gpuDetection(t, rng);
  yield* modelLoading(t, rng);
  yield* dataLoading(t, rng);
  yield* trainingConfig(t);
}

function* gpuDetection(t: Timeline, rng: Rng): Generator<SimEvent> {
  const cfg = t.cfg;
  yield logLine(t, "gpu.detect", {});
  const shown = Math.min(cfg.nodes, 4);
  for (let n = 0; n < shown; n++) yield logLine(t, "gpu.node", { node: n, more: 0 });
  if (cfg.nodes > shown) yield logLine(t, "gpu.node", { node: -1, more: cfg.nodes - shown });
  yield logLine(t, "gpu.driver", {});
  yield* advance(t, rng.range(300, 1200), "idle");
}

function* modelLoading(t: Timeline, rng: Rng): Generator<SimEvent> {
  const cfg = t.cfg;
  const m = cfg.model;
  yield logLine(t, "model.arch", {});
  // Every node reads its own shards, so loading scales with nodes up to the file system limit.
  const readGBps = rng.range(1.5, 4) * Math.min(cfg.nodes, 16);
  if (cfg.task === "finetune") {
    const shards = Math.max(1, Math.ceil((m.params * 2) / 5e9));
    yield logLine(t, "model.load", { shards });
    yield* progress(
      t,
      "load",
      "Loading checkpoint shards",
      shards,
      "it",
      (m.params * 2) / (readGBps * 1e9) * 1000,
      "load",
    );
  } else {
    yield logLine(t, "model.init", {});
    yield* progress(
      t,
      "load",
      "Initializing layers",
      m.layers,
      "layer",
      m.layers * rng.range(40, 160),
      "load",
    );
  }
  yield* advance(t, rng.range(500, 2000), "load", 1);
  yield logLine(t, "model.wrap", {});
  yield logLine(t, "model.memory", {});
}

function* dataLoading(t: Timeline, rng: Rng): Generator<SimEvent> {
  const cfg = t.cfg;
  const d = cfg.dataset;
  yield logLine(t, "tokenizer", {});
  yield* advance(t, rng.range(300, 1500), "load", 1);
  yield logLine(t, "dataset.open", {});
  if (d.domains.length > 1) yield logLine(t, "dataset.mixture", {});
  const indexShards = rng.int(16, 64);
  yield* progress(
    t,
    "load",
    "Building sample index",
    indexShards,
    "file",
    rng.range(4000, 20000),
    "load",
  );
  yield logLine(t, "dataset.epoch", {});
}

function* trainingConfig(t: Timeline): Generator<SimEvent> {
  yield logLine(t, "config.header", {});
  for (let item = 0; item < CONFIG_ITEMS; item++) yield logLine(t, "config", { item });
  yield logLine(t, "seed", {});
  yield logLine(t, "ckpt.plan", { bytes: t.cfg.model.params * 14 });
}

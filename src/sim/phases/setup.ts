/** Set-up after the communicators exist: GPUs, model, tokenizer, dataset and training config. */
import type { SimEvent } from "../events.ts";
import type { Rng } from "../rng.ts";
import { advance, logLine, progress, type Timeline } from "../timeline.ts";

/** Items of the training configuration block. */
const CONFIG_ITEMS = 5;

/** Everything between NCCL init and the first training step (`restart` > 0 after a relaunch). */
export function* setupPhase(t: Timeline, rng: Rng, restart = 0): Generator<SimEvent> {
  const r = restart > 0 ? { restart } : {};
  yield* gpuDetection(t, rng, r);
  yield* modelLoading(t, rng, r);
  yield* dataLoading(t, rng, r);
  yield* trainingConfig(t, r);
}

type Restart = { restart?: number };

function* gpuDetection(t: Timeline, rng: Rng, r: Restart): Generator<SimEvent> {
  const cfg = t.cfg;
  yield logLine(t, "gpu.detect", r);
  const shown = Math.min(cfg.nodes, 4);
  for (let n = 0; n < shown; n++) yield logLine(t, "gpu.node", { node: n, more: 0, ...r });
  if (cfg.nodes > shown) {
    yield logLine(t, "gpu.node", { node: -1, more: cfg.nodes - shown, ...r });
  }
  yield logLine(t, "gpu.driver", r);
  yield* advance(t, rng.range(300, 1200), "idle");
}

function* modelLoading(t: Timeline, rng: Rng, r: Restart): Generator<SimEvent> {
  const cfg = t.cfg;
  const m = cfg.model;
  yield logLine(t, "model.arch", r);
  // Every node reads its own shards, so loading scales with nodes up to the file system limit.
  const readGBps = rng.range(1.5, 4) * Math.min(cfg.nodes, 16);
  if (cfg.task === "finetune") {
    const shards = Math.max(1, Math.ceil((m.params * 2) / 5e9));
    yield logLine(t, "model.load", { shards, ...r });
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
    yield logLine(t, "model.init", r);
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
  yield logLine(t, "model.wrap", r);
  yield logLine(t, "model.memory", r);
}

function* dataLoading(t: Timeline, rng: Rng, r: Restart): Generator<SimEvent> {
  const cfg = t.cfg;
  const d = cfg.dataset;
  yield logLine(t, "tokenizer", r);
  yield* advance(t, rng.range(300, 1500), "load", 1);
  yield logLine(t, "dataset.open", r);
  if (d.domains.length > 1) yield logLine(t, "dataset.mixture", r);
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
  yield logLine(t, "dataset.epoch", r);
}

function* trainingConfig(t: Timeline, r: Restart): Generator<SimEvent> {
  yield logLine(t, "config.header", r);
  for (let item = 0; item < CONFIG_ITEMS; item++) yield logLine(t, "config", { item, ...r });
  yield logLine(t, "seed", r);
  yield logLine(t, "ckpt.plan", { bytes: t.cfg.model.params * 14, ...r });
}

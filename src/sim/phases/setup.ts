/** Set-up after the communicators exist: GPUs, model, tokenizer, dataset and training config. */
import type { SimEvent } from "../events.ts";
import { hostName } from "../names.ts";
import type { Rng } from "../rng.ts";
import type { RunConfig } from "../run_config.ts";
import { advance, logLine, progress, tickEvent, type Timeline } from "../timeline.ts";
import {
  formatBytes,
  formatLr,
  formatParams,
  formatTokens,
  thousands,
} from "../../format/units.ts";

/** How far loading has got when the start-up GPU reading is taken (memory is mostly free). */
const STARTUP_LOAD_FRACTION = 0.05;

/** Everything between NCCL init and the first training step. */
export function* setupPhase(t: Timeline, rng: Rng): Generator<SimEvent> {
  yield* gpuDetection(t, rng);
  yield* modelLoading(t, rng);
  yield* dataLoading(t, rng);
  yield* trainingConfig(t);
}

function* gpuDetection(t: Timeline, rng: Rng): Generator<SimEvent> {
  const cfg = t.cfg;
  const g = cfg.gpu;
  const memGiB = (g.memMiB / 1024).toFixed(1);
  yield logLine(
    t,
    "gpu.detect",
    `Detected ${cfg.worldSize} × ${g.name} across ${cfg.nodes} node${cfg.nodes > 1 ? "s" : ""} ` +
      `(${cfg.gpusPerNode} per node, ${memGiB} GiB each, compute capability ${g.computeCapability})`,
  );
  const shown = Math.min(cfg.nodes, 4);
  for (let n = 0; n < shown; n++) {
    yield logLine(
      t,
      "gpu.node",
      `  ${hostName(cfg.cluster, n)}: GPU ${gpuRange(cfg.gpusPerNode)} ${g.name}, ` +
        `${g.vendor === "amd" ? "Infinity Fabric" : "NVLink"} ${g.nvlinkGBps} GB/s, ` +
        `${g.nicsPerNode} × ${g.nic}`,
    );
  }
  if (cfg.nodes > shown) yield logLine(t, "gpu.node", `  ... and ${cfg.nodes - shown} more nodes`);
  yield logLine(
    t,
    "gpu.driver",
    g.vendor === "amd"
      ? `ROCm ${g.cuda}, amdgpu driver ${g.driver}`
      : `Driver Version: ${g.driver}   CUDA Version: ${g.cuda}`,
  );
  // One reported reading of every GPU before the model loads (styles draw nvidia-smi from it).
  yield tickEvent(t, t.simMs, "load", STARTUP_LOAD_FRACTION);
  yield* advance(t, rng.range(300, 1200), "idle");
}

function* modelLoading(t: Timeline, rng: Rng): Generator<SimEvent> {
  const cfg = t.cfg;
  const m = cfg.model;
  yield logLine(
    t,
    "model.arch",
    `Model ${m.name} (${m.hf}): ${formatParams(m.params)} parameters (${thousands(m.params)}), ` +
      `${m.layers} layers, hidden ${m.hidden}, ${m.heads} attention heads` +
      (m.kvHeads !== m.heads ? ` (${m.kvHeads} KV heads)` : "") +
      `, FFN ${m.ffn}, vocab ${thousands(m.vocab)}, context ${m.ctx}`,
  );
  // Every node reads its own shards, so loading scales with nodes up to the file system limit.
  const readGBps = rng.range(1.5, 4) * Math.min(cfg.nodes, 16);
  if (cfg.task === "finetune") {
    const shards = Math.max(1, Math.ceil((m.params * 2) / 5e9));
    yield logLine(
      t,
      "model.load",
      `Loading pretrained weights from ${m.hf} (${shards} safetensors shards)`,
    );
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
    yield logLine(
      t,
      "model.init",
      `Initializing ${m.name} from scratch (init std 0.02, seed ${cfg.seed})`,
    );
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
  yield logLine(t, "model.wrap", wrapLine(cfg));
  const mem = cfg.plan.memory;
  const cap = cfg.gpu.memMiB / 1024;
  yield logLine(
    t,
    "model.memory",
    `Estimated memory per GPU: weights ${mem.weightsGiB.toFixed(2)} GiB + grads ${
      mem.gradsGiB.toFixed(2)
    } GiB` +
      ` + optimizer ${mem.optimizerGiB.toFixed(2)} GiB + activations ${
        mem.activationsGiB.toFixed(2)
      } GiB` +
      ` + runtime ${mem.overheadGiB.toFixed(2)} GiB = ${mem.totalGiB.toFixed(1)} GiB of ${
        cap.toFixed(1)
      } GiB` +
      ` (${((mem.totalGiB / cap) * 100).toFixed(0)}%)`,
  );
}

/** How the model is wrapped for its strategy. */
export function wrapLine(cfg: RunConfig): string {
  const p = cfg.plan;
  const recompute = p.recompute === "none" ? "off" : p.recompute;
  switch (p.strategy) {
    case "ddp":
      return `Wrapped model in DistributedDataParallel (bucket_cap_mb=25, ${cfg.precision} autocast, ` +
        `activation checkpointing ${recompute})`;
    case "fsdp":
      return `Wrapped model in FSDP (FULL_SHARD over ${p.dp} ranks, mixed precision ${cfg.precision}, ` +
        `activation checkpointing ${recompute})`;
    case "megatron":
      return `Megatron-Core parallel state: TP=${p.tp} PP=${p.pp} DP=${p.dp}, sequence parallel ` +
        `${p.tp > 1 ? "on" : "off"}, distributed optimizer on, recompute ${recompute}`;
    default:
      return `DeepSpeed ZeRO stage ${p.strategy.slice(4)} over ${p.dp} ranks, ${cfg.precision}, ` +
        `reduce bucket 500,000,000, activation checkpointing ${recompute}`;
  }
}

function* dataLoading(t: Timeline, rng: Rng): Generator<SimEvent> {
  const cfg = t.cfg;
  const d = cfg.dataset;
  yield logLine(
    t,
    "tokenizer",
    `Loaded tokenizer ${cfg.model.tokenizer} (vocab size ${thousands(cfg.model.vocab)}, ` +
      `model max length ${cfg.model.ctx})`,
  );
  yield* advance(t, rng.range(300, 1500), "load", 1);
  yield logLine(
    t,
    "dataset.open",
    `Loading dataset ${d.name} from ${d.path}: ${thousands(d.samples)} samples, ` +
      `${formatTokens(d.tokens)} tokens`,
  );
  if (d.domains.length > 1) {
    const mix = d.domains.map((x) => `${x.name} ${(x.weight * 100).toFixed(1)}%`).join(", ");
    yield logLine(t, "dataset.mixture", `Data mixture: ${mix}`);
  }
  const epochTokens = cfg.stepsPerEpoch * cfg.tokensPerStep;
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
  yield logLine(
    t,
    "dataset.epoch",
    `Each epoch: ${
      thousands(cfg.stepsPerEpoch * cfg.globalBatch)
    } sequences of ${cfg.seqLen} tokens ` +
      `(${formatTokens(epochTokens)} tokens, ${
        Math.min(100, (epochTokens / d.tokens) * 100).toFixed(1)
      }% of the dataset)`,
  );
}

function* trainingConfig(t: Timeline): Generator<SimEvent> {
  const cfg = t.cfg;
  const p = cfg.plan;
  const lines = [
    `global batch ${cfg.globalBatch} = micro batch ${p.microBatch} × grad accum ${cfg.gradAccum} × DP ${p.dp}` +
    `, seq len ${cfg.seqLen} → ${thousands(cfg.tokensPerStep)} tokens/step`,
    `optimizer AdamW (β1 0.9, β2 0.95, eps 1e-8, weight decay 0.1), grad clip 1.0`,
    `lr ${formatLr(cfg.lrMax)} peak, ${cfg.warmupSteps} warmup steps, ${cfg.schedule} decay to ${
      formatLr(cfg.lrMin)
    }`,
    `precision ${cfg.precision}, strategy ${strategyName(cfg)}, TP ${p.tp} PP ${p.pp} DP ${p.dp}`,
    `epochs ${cfg.epochs} × ${thousands(cfg.stepsPerEpoch)} steps = ${
      thousands(cfg.totalSteps)
    } steps, ` +
    `log every ${cfg.logInterval}, checkpoint every ${cfg.ckptInterval}, output ${cfg.outputDir}`,
  ];
  yield logLine(t, "config.header", "Training configuration:");
  for (const line of lines) yield logLine(t, "config", `  ${line}`);
  yield logLine(t, "seed", `Global seed set to ${cfg.seed}`);
  const ckpt = formatBytes(cfg.model.params * 14);
  yield logLine(
    t,
    "ckpt.plan",
    `Checkpoints (${ckpt} each with optimizer state) go to ${cfg.outputDir}`,
  );
}

/** Human name of the run's strategy. */
export function strategyName(cfg: RunConfig): string {
  const s = cfg.plan.strategy;
  if (s === "ddp") return "DDP";
  if (s === "fsdp") return "FSDP";
  if (s === "megatron") return "Megatron TP/PP + distributed optimizer";
  return `ZeRO stage ${s.slice(4)}`;
}

/** "0-7" for eight GPUs, "0" for one. */
function gpuRange(gpusPerNode: number): string {
  return gpusPerNode > 1 ? `0-${gpusPerNode - 1}` : "0";
}

/** fauxtrain's own wording of the set-up facts: GPUs, model, data and training configuration. */
import type { LogEventOf } from "../sim/events.ts";
import { hostName } from "../sim/names.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { formatBytes, formatLr, formatParams, formatTokens, thousands } from "../format/units.ts";

/** Keys worded here. */
export type SetupKey =
  | "gpu.detect"
  | "gpu.node"
  | "gpu.driver"
  | "model.arch"
  | "model.load"
  | "model.init"
  | "model.wrap"
  | "model.memory"
  | "tokenizer"
  | "dataset.open"
  | "dataset.mixture"
  | "dataset.epoch"
  | "config.header"
  | "config"
  | "seed"
  | "ckpt.plan";

/** The native line of a set-up fact. */
export function setupLine(ev: LogEventOf<SetupKey>, cfg: RunConfig): string {
  const g = cfg.gpu, m = cfg.model, d = cfg.dataset;
  switch (ev.key) {
    case "gpu.detect":
      return `Detected ${cfg.worldSize} × ${g.name} across ${cfg.nodes} node` +
        `${cfg.nodes > 1 ? "s" : ""} (${cfg.gpusPerNode} per node, ` +
        `${(g.memMiB / 1024).toFixed(1)} GiB each, compute capability ${g.computeCapability})`;
    case "gpu.node":
      if (ev.data.more > 0) return `  ... and ${ev.data.more} more nodes`;
      return `  ${hostName(cfg.cluster, ev.data.node)}: GPU ${gpuRange(cfg.gpusPerNode)} ` +
        `${g.name}, ${g.vendor === "amd" ? "Infinity Fabric" : "NVLink"} ${g.nvlinkGBps} GB/s, ` +
        `${g.nicsPerNode} × ${g.nic}`;
    case "gpu.driver":
      return g.vendor === "amd"
        ? `ROCm ${g.cuda}, amdgpu driver ${g.driver}`
        : `Driver Version: ${g.driver}   CUDA Version: ${g.cuda}`;
    case "model.arch":
      return `Model ${m.name} (${m.hf}): ${formatParams(m.params)} parameters ` +
        `(${thousands(m.params)}), ${m.layers} layers, hidden ${m.hidden}, ${m.heads} attention ` +
        `heads` + (m.kvHeads !== m.heads ? ` (${m.kvHeads} KV heads)` : "") +
        `, FFN ${m.ffn}, vocab ${thousands(m.vocab)}, context ${m.ctx}`;
    case "model.load":
      return `Loading pretrained weights from ${m.hf} (${ev.data.shards} safetensors shards)`;
    case "model.init":
      return `Initializing ${m.name} from scratch (init std 0.02, seed ${cfg.seed})`;
    case "model.wrap":
      return wrapLine(cfg);
    case "model.memory":
      return memoryLine(cfg);
    case "tokenizer":
      return `Loaded tokenizer ${m.tokenizer} (vocab size ${thousands(m.vocab)}, ` +
        `model max length ${m.ctx})`;
    case "dataset.open":
      return `Loading dataset ${d.name} from ${d.path}: ${thousands(d.samples)} samples, ` +
        `${formatTokens(d.tokens)} tokens`;
    case "dataset.mixture":
      return `Data mixture: ${
        d.domains.map((x) => `${x.name} ${(x.weight * 100).toFixed(1)}%`).join(", ")
      }`;
    case "dataset.epoch": {
      const epochTokens = cfg.stepsPerEpoch * cfg.tokensPerStep;
      return `Each epoch: ${thousands(cfg.stepsPerEpoch * cfg.globalBatch)} sequences of ` +
        `${cfg.seqLen} tokens (${formatTokens(epochTokens)} tokens, ` +
        `${Math.min(100, (epochTokens / d.tokens) * 100).toFixed(1)}% of the dataset)`;
    }
    case "config.header":
      return "Training configuration:";
    case "config":
      return `  ${configItem(cfg, ev.data.item)}`;
    case "seed":
      return `Global seed set to ${cfg.seed}`;
    case "ckpt.plan":
      return `Checkpoints (${
        formatBytes(ev.data.bytes)
      } each with optimizer state) go to ${cfg.outputDir}`;
  }
}

function memoryLine(cfg: RunConfig): string {
  const mem = cfg.plan.memory;
  const cap = cfg.gpu.memMiB / 1024;
  return `Estimated memory per GPU: weights ${mem.weightsGiB.toFixed(2)} GiB + grads ` +
    `${mem.gradsGiB.toFixed(2)} GiB + optimizer ${mem.optimizerGiB.toFixed(2)} GiB + ` +
    `activations ${mem.activationsGiB.toFixed(2)} GiB + runtime ${
      mem.overheadGiB.toFixed(2)
    } GiB = ${mem.totalGiB.toFixed(1)} GiB of ${cap.toFixed(1)} GiB` +
    ` (${((mem.totalGiB / cap) * 100).toFixed(0)}%)`;
}

function configItem(cfg: RunConfig, item: number): string {
  const p = cfg.plan;
  switch (item) {
    case 0:
      return `global batch ${cfg.globalBatch} = micro batch ${p.microBatch} × grad accum ` +
        `${cfg.gradAccum} × DP ${p.dp}, seq len ${cfg.seqLen} → ` +
        `${thousands(cfg.tokensPerStep)} tokens/step`;
    case 1:
      return "optimizer AdamW (β1 0.9, β2 0.95, eps 1e-8, weight decay 0.1), grad clip 1.0";
    case 2:
      return `lr ${formatLr(cfg.lrMax)} peak, ${cfg.warmupSteps} warmup steps, ${cfg.schedule} ` +
        `decay to ${formatLr(cfg.lrMin)}`;
    case 3:
      return `precision ${cfg.precision}, strategy ${strategyName(cfg)}, TP ${p.tp} PP ${p.pp} ` +
        `DP ${p.dp}`;
    default:
      return `epochs ${cfg.epochs} × ${thousands(cfg.stepsPerEpoch)} steps = ` +
        `${thousands(cfg.totalSteps)} steps, log every ${cfg.logInterval}, checkpoint every ` +
        `${cfg.ckptInterval}, output ${cfg.outputDir}`;
  }
}

/** How the model is wrapped for its strategy. */
export function wrapLine(cfg: RunConfig): string {
  const p = cfg.plan;
  const recompute = p.recompute === "none" ? "off" : p.recompute;
  switch (p.strategy) {
    case "ddp":
      return `Wrapped model in DistributedDataParallel (bucket_cap_mb=25, ${cfg.precision} ` +
        `autocast, activation checkpointing ${recompute})`;
    case "fsdp":
      return `Wrapped model in FSDP (FULL_SHARD over ${p.dp} ranks, mixed precision ` +
        `${cfg.precision}, activation checkpointing ${recompute})`;
    case "megatron":
      return `Megatron-Core parallel state: TP=${p.tp} PP=${p.pp} DP=${p.dp}, sequence parallel ` +
        `${p.tp > 1 ? "on" : "off"}, distributed optimizer on, recompute ${recompute}`;
    default:
      return `DeepSpeed ZeRO stage ${p.strategy.slice(4)} over ${p.dp} ranks, ${cfg.precision}, ` +
        `reduce bucket 500,000,000, activation checkpointing ${recompute}`;
  }
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

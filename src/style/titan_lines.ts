/**
 * torchtitan's own lines and arithmetic: how it names the model and its arguments, its logger
 * head, its metrics line (tokens per second per device over the log interval, TFLOP/s from
 * its 6·N + 12·L·H·Q·T FLOPs per token, MFU against its hard-coded peaks, memory as the caching
 * allocator's peak reserved), and the wording of the v0.1 and v0.2 releases.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { hashUnit } from "../sim/rng.ts";
import { torchCapacityGiB } from "../sim/gpu_memory.ts";
import { pyLogTime } from "../format/clock.ts";
import { torchAtLeast } from "./torch_source.ts";

/** What one torchtitan job is: its model spec, release, config and logging choices. */
export interface TitanJob {
  /** Train spec and flavor: `llama3`, `8B`. */
  name: string;
  flavor: string;
  description: string;
  configFile: string;
  /**
   * run_train.sh's `--local-ranks-filter 0 --role rank --tee 3` (one node): only local rank 0
   * prints, as `[rank0]:`. The multi-node Slurm script runs `srun torchrun` without them: every
   * rank prints, with no prefix.
   */
  filtered: boolean;
  /** v0.2 wording and the grad_norm column (torch 2.8+), else v0.1's. */
  v2: boolean;
  /** NCCL_DEBUG of the job: unset, WARN (the version line only) or INFO. */
  ncclDebug: "" | "WARN" | "INFO";
  /** metrics.log_freq, training.gc_freq, profiling.profile_freq, in steps. */
  logFreq: number;
  gcFreq: number;
  profileFreq: number;
  /** The device name torch reports, its capacity (GiB) and torchtitan's peak for MFU (FLOP/s). */
  device: string;
  capacityGiB: number;
  peakFlops: number;
  /** torchtitan's FLOPs per token for this model and sequence length. */
  flopsPerToken: number;
}

/** A style's interval: the first multiple of the run's log interval at or past `want`. */
function every(cfg: RunConfig, want: number): number {
  return cfg.logInterval * Math.max(1, Math.ceil(want / cfg.logInterval));
}

/** torchtitan's own train specs and flavours, by the model they build. */
const TITAN_FLAVORS: Record<string, [string, string, string]> = {
  "llama-3-8b": ["llama3", "8B", "Llama 3 8B training"],
  "llama-3.1-8b": ["llama3", "8B", "Llama 3 8B training"],
  "llama-3-70b": ["llama3", "70B", "Llama 3 70B training"],
  "llama-3.1-70b": ["llama3", "70B", "Llama 3 70B training"],
  "llama-3-405b": ["llama3", "405B", "Llama 3 405B training"],
  "llama-2-7b": ["llama2", "7B", "LLaMA 2 7B training"],
  "llama-2-13b": ["llama2", "13B", "LLaMA 2 13B training"],
  "llama-2-70b": ["llama2", "70B", "LLaMA 2 70B training"],
};

/**
 * The train spec, flavour and job description of the run's model: torchtitan's own for the
 * Llamas it ships, else the flavour a team adds beside them, named by the model's size as its
 * card names it (`3B`, `7B`).
 */
function flavorOf(cfg: RunConfig): [string, string, string] {
  const own = TITAN_FLAVORS[cfg.model.id];
  if (own) return own;
  const name = cfg.model.family === "qwen" ? "qwen3" : "llama3";
  const m = /(\d+(?:\.\d+)?)[BM]/i.exec(cfg.model.name.replace(/^.*?-(?=\d)/, ""));
  const b = cfg.model.params / 1e9;
  const flavor = m
    ? `${m[1]}${m[0].slice(-1).toUpperCase()}`
    : b >= 1
    ? `${Math.round(b)}B`
    : `${Math.round(b * 1000)}M`;
  return [name, flavor, `${cfg.model.name.replace(/-/g, " ")} training`];
}

/** torchtitan's peak FLOP/s by device name (bf16 dense), falling back to the A100's. */
export function titanPeakFlops(device: string): number {
  if (device.includes("A100")) return 312e12;
  if (device.includes("H100")) return device.includes("PCIe") ? 756e12 : 989e12;
  if (device.includes("H200")) return 989e12;
  if (device.includes("B200")) return 2.25e15;
  if (device.includes("MI300X")) return 1300e12;
  return 312e12;
}

/** Whether torchtitan knows the device's peak (else it warns and uses the A100's). */
export function knowsPeak(device: string): boolean {
  return /A100|H100|H200|B200|MI300X/.test(device);
}

/** torchtitan's FLOPs per token: 6 × non-embedding parameters + 12 × L × H × Q × T. */
export function titanFlopsPerToken(cfg: RunConfig): number {
  const m = cfg.model;
  return 6 * (m.params - m.vocab * m.hidden) + 12 * m.layers * m.hidden * cfg.seqLen;
}

/**
 * The job's TOML: llama2's in the early top-level `train_configs/`, llama3's under
 * `models/llama/` until v0.2 moved it to `models/llama3/`.
 */
function configFile(name: string, flavor: string, v2: boolean): string {
  const file = `${name}_${flavor.toLowerCase()}.toml`;
  if (name === "llama2") return `./train_configs/${file}`;
  const dir = name === "llama3" && !v2 ? "llama" : name;
  return `./torchtitan/models/${dir}/train_configs/${file}`;
}

/** The torchtitan job the run is. */
export function titanJob(cfg: RunConfig): TitanJob {
  const [name, flavor, description] = flavorOf(cfg);
  const salt = cfg.cluster.layout.salt;
  const debug = hashUnit(salt, 41);
  const device = cfg.gpu.name;
  return {
    name,
    flavor,
    description,
    configFile: configFile(name, flavor, torchAtLeast(cfg, 8)),
    // run_train.sh passes `--local-ranks-filter 0`; a multi-node sbatch script often does too.
    filtered: cfg.nodes === 1 || hashUnit(salt, 43) < 0.55,
    v2: torchAtLeast(cfg, 8),
    ncclDebug: debug < 0.35 ? "" : debug < 0.6 ? "WARN" : "INFO",
    logFreq: every(cfg, 10),
    gcFreq: every(cfg, 50),
    profileFreq: every(cfg, 100),
    device,
    capacityGiB: torchCapacityGiB(cfg.gpu),
    peakFlops: titanPeakFlops(device),
    flopsPerToken: titanFlopsPerToken(cfg),
  };
}

/** torchtitan's logger head: `[titan] 2026-11-24 09:00:03,367 - root - INFO - `. */
export function titanHead(clockMs: number, level = "INFO"): string {
  return `[titan] ${pyLogTime(clockMs)} - root - ${level} - `;
}

/** `Building llama3 8B with TransformerModelArgs(...)`: the model's arguments as Python prints them. */
export function modelArgs(cfg: RunConfig, job: TitanJob): string {
  const m = cfg.model;
  const [mult, multipleOf] = ffnArgs(m.hidden, m.ffn);
  const llama3 = m.vocab === 128256;
  const fields = [
    "_enforced='This field is used to enforce all fields have defaults.'",
    `dim=${m.hidden}`,
    `n_layers=${m.layers}`,
    `n_heads=${m.heads}`,
    `n_kv_heads=${m.kvHeads === m.heads ? "None" : m.kvHeads}`,
    `vocab_size=${m.vocab}`,
    `multiple_of=${multipleOf}`,
    `ffn_dim_multiplier=${mult}`,
    "norm_eps=1e-05",
    `rope_theta=${llama3 ? 500000 : 10000}`,
    ...(job.v2
      ? [
        "rope_scaling_args=RoPEScalingArgs(scaling_factor=8.0, low_freq_factor=1.0, " +
        "high_freq_factor=4.0, original_max_position_embeddings=8192)",
      ]
      : []),
    `max_seq_len=${cfg.seqLen}`,
    "depth_init=True",
    "use_flex_attn=False",
    "attn_mask_type='causal'",
    `eos_id=${job.v2 ? 0 : llama3 ? 128001 : 2}`,
  ];
  return `TransformerModelArgs(${fields.join(", ")})`;
}

/**
 * The (ffn_dim_multiplier, multiple_of) that make torchtitan's FFN width equal `ffn`, preferring
 * no multiplier, then round ones (1.3), and the rounding its presets use for the model's width.
 */
export function ffnArgs(dim: number, ffn: number): [string, number] {
  const base = Math.floor((2 * 4 * dim) / 3);
  const width = (mult: number, multipleOf: number) =>
    multipleOf * Math.ceil(Math.floor(mult * base) / multipleOf);
  const roundings = dim >= 8192 ? [4096, 1024, 256, 512, 128] : [1024, 256, 4096, 512, 128];
  for (const multipleOf of roundings) {
    if (multipleOf * Math.ceil(base / multipleOf) === ffn) return ["None", multipleOf];
  }
  const all = Array.from({ length: 101 }, (_, i) => 100 + i);
  const preferred = [130, 120, 150, 100, 110, 140, ...all.filter((k) => k % 10 === 0), ...all];
  for (const multipleOf of roundings) {
    const k = preferred.find((k) => width(k / 100, multipleOf) === ffn);
    if (k !== undefined) return [String(k / 100), multipleOf];
  }
  return ["None", 256];
}

/** One metrics line of torchtitan's logger. */
export interface Metrics {
  step: number;
  loss: number;
  gradNorm: number;
  memGiB: number;
  /** Tokens per second per device over the log interval. */
  tps: number;
}

/** `step: 10  loss:  9.8309  grad_norm:  4.4717  memory: 47.38GiB(49.87%)  tps: 7,031  ...`. */
export function metricsLine(job: TitanJob, m: Metrics): string {
  const tflops = (job.flopsPerToken * m.tps) / 1e12;
  const mfu = (100 * job.flopsPerToken * m.tps) / job.peakFlops;
  const pct = (100 * m.memGiB) / job.capacityGiB;
  const num = (x: number, d: number) =>
    x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  return `step: ${String(m.step).padStart(2)}  loss: ${m.loss.toFixed(4).padStart(7)}  ` +
    (job.v2 ? `grad_norm: ${m.gradNorm.toFixed(4).padStart(7)}  ` : "") +
    `memory: ${m.memGiB.toFixed(2).padStart(5)}GiB(${pct.toFixed(2)}%)  ` +
    `tps: ${Math.round(m.tps).toLocaleString("en-US")}  tflops: ${num(tflops, 2)}  ` +
    `mfu: ${mfu.toFixed(2)}%`;
}

/** The `[GC] ...` line of a collection that took `seconds`, in the release's wording. */
export function gcLine(
  job: TitanJob,
  reason: "initial" | "periodic" | "checkpoint" | "load",
  seconds: number,
): string {
  const v1 = {
    initial: "Initial GC collection.",
    periodic: "Peforming periodical GC collection.",
    checkpoint: "GC collection invoked by checkpointer.",
    load: "GC collection for checkpoint loading.",
  };
  const v2 = {
    ...v1,
    initial: "Initial GC collection",
    periodic: "Performing periodic GC collection",
  };
  return job.v2
    ? `[GC] ${v2[reason]} took ${seconds.toFixed(2)} seconds`
    : `[GC] ${v1[reason]} ${seconds.toFixed(2)} seconds.`;
}

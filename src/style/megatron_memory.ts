/**
 * Megatron's two memory reports after the first logged interval: rank 0's theoretical footprint
 * (its own parameter formula, `report_theoretical_memory`) and each data-parallel-rank-0 rank's
 * `torch.cuda` counters, drawn from the simulation's memory model of the run.
 */
import type { RunConfig } from "../sim/run_config.ts";
import type { Rng } from "../sim/rng.ts";
import type { MegatronArch } from "./megatron_model.ts";

const MB = 1024 * 1024;

/** The flags of the run the theoretical formula reads. */
export interface MemoryFlags {
  distributedOptimizer: boolean;
  sequenceParallel: boolean;
  selectiveRecompute: boolean;
  /** The newer formula (transformer block, dense and MoE layers, shared experts). */
  blockFormula: boolean;
}

/** Python's `f"{x: .2f}"`: a space where the sign would go. */
function spaced(x: number, digits: number): string {
  return x < 0 ? x.toFixed(digits) : ` ${x.toFixed(digits)}`;
}

/** Parameters of the transformer layers by Megatron's formula (no biases, layernorms counted). */
function transformerParams(cfg: RunConfig, a: MegatronArch, f: MemoryFlags): number {
  const m = cfg.model, h = m.hidden, e = m.moe;
  const gated = a.swiglu ? 1.5 : 1;
  const attn = (1 + m.kvHeads / m.heads) * ((a.kvChannels * m.heads) / h);
  if (!f.blockFormula) {
    const experts = e ? e.experts : 1;
    return 2 * m.layers * h * h *
      (attn + (m.ffn / h) * experts * gated + 2 / h + 1 / (m.layers * h));
  }
  const selfAttn = 2 * h * h * attn;
  const dense = 2 * h * (m.ffn * gated + 2) + selfAttn;
  const moe = e
    ? 2 * h * (e.expertFfn * e.experts * gated + e.sharedFfn * gated + 2) + selfAttn
    : 0;
  const moeLayers = e ? m.layers - e.denseLayers : 0;
  return dense * (m.layers - moeLayers) + moe * moeLayers + 2 * h;
}

/** Activation bytes of the first stage (Korthikanti et al., table 2), as Megatron estimates. */
function activationBytes(cfg: RunConfig, vocab: number, microbatches: number): number {
  const m = cfg.model, p = cfg.plan, s = cfg.seqLen, b = p.microBatch, h = m.hidden;
  let bytes = s * b * h * (18 + 4 * (m.ffn / h)) * m.layers;
  bytes += 8 * s * b * p.pp + s * b * h * p.pp;
  if (p.pp > 1) bytes *= Math.min(1, microbatches / p.pp);
  if (p.pp === 1) bytes += s * b * h * 4 * (1 + vocab / h);
  return bytes / p.tp;
}

/** Rank 0's theoretical lines: parameters in billions, the most loaded shard, the footprint. */
export function theoreticalLines(cfg: RunConfig, a: MegatronArch, f: MemoryFlags): string[] {
  const p = cfg.plan, h = cfg.model.hidden;
  const layers = transformerParams(cfg, a, f);
  const embedding = h * a.paddedVocab;
  const embeddings = (a.untied ? 2 : 1) * embedding;
  let shard = (layers / p.pp + embedding) / p.tp;
  if (a.untied && p.pp === 1) shard += embedding / p.tp;
  const out = [
    `Number of parameters in transformer ${f.blockFormula ? "block" : "layers"} in billions: ` +
    spaced(layers / 1e9, 2),
    `Number of parameters in embedding layers in billions: ${(embeddings / 1e9).toFixed(2)}`,
    `Total number of parameters in billions: ${((layers + embeddings) / 1e9).toFixed(2)}`,
    `Number of parameters in most loaded shard in billions: ${(shard / 1e9).toFixed(4)}`,
  ];
  if (p.pp > 1) {
    out.push(
      `Number of parameters in other shards in billions: ${
        (layers / (p.pp * p.tp) / 1e9).toFixed(4)
      }`,
    );
  }
  const perParam = f.distributedOptimizer ? 6 + 12 / p.dp : 18;
  const weights = (shard * perParam) / MB;
  if (!f.sequenceParallel || !f.selectiveRecompute) {
    out.push(`Theoretical memory footprints: weight and optimizer=${weights.toFixed(2)} MB`);
    return out;
  }
  const perLayer = cfg.seqLen * p.microBatch * h * (18 + 4 * (cfg.model.ffn / h)) / MB / p.tp;
  out.push(`Activation memory footprint per transformer layer: ${perLayer.toFixed(1)} MB`);
  if (p.pp > 1) out.push(`Number of in-flight microbatches: ${Math.min(cfg.gradAccum, p.pp)}`);
  const act = activationBytes(cfg, a.paddedVocab, cfg.gradAccum) / MB;
  out.push(
    `Theoretical memory footprints: weight and optimizer=${weights.toFixed(2)} MB, ` +
      `activation=${act.toFixed(2)} MB, total=${(weights + act).toFixed(2)} MB`,
    "",
  );
  return out;
}

/** One rank's `torch.cuda` counters in MB: allocated ones in 512-byte blocks, reserved in 2 MiB. */
export interface CudaMemory {
  allocated: number;
  maxAllocated: number;
  reserved: number;
}

/** How a rank stores its parameters: weights, main gradients and Adam's states, by sharding. */
export interface StateLayout {
  fp16: boolean;
  distributedOptimizer: boolean;
  fsdp: boolean;
}

/** Bytes per local parameter that stay allocated between steps. */
function stateBytes(l: StateLayout, dp: number): number {
  const grads = l.fp16 ? 2 : 4;
  if (l.fsdp) return (2 + grads + 12) / dp;
  return 2 + grads + (l.distributedOptimizer ? 12 / dp : 12);
}

/**
 * The counters after the first interval on a rank of pipeline stage `pp` holding `localParams`:
 * model states stay allocated; the simulation's activations set the peak (within what the GPU
 * holds); the caching allocator keeps whole 2 MiB blocks above the peak.
 */
export function cudaMemory(
  cfg: RunConfig,
  layout: StateLayout,
  localParams: number,
  pp: number,
  rng: Rng,
): CudaMemory {
  const gib = 1024 ** 3, capacity = cfg.gpu.memMiB * MB * 0.94;
  const stage = cfg.plan.pp > 1 ? 1 - (0.45 * pp) / (cfg.plan.pp - 1) : 1;
  const states = localParams * stateBytes(layout, cfg.plan.dp) + rng.range(24, 260) * MB;
  const allocated = Math.round(states / 512) * 512;
  const activations = cfg.plan.memory.activationsGiB * gib * stage * rng.range(0.86, 1.0);
  const peak = Math.min(allocated + activations, Math.max(capacity * 0.97, allocated * 1.02));
  const maxAllocated = Math.round(peak / 512) * 512;
  const reserved = Math.ceil((maxAllocated * rng.range(1.008, 1.06)) / (2 * MB)) * 2 * MB;
  return { allocated: allocated / MB, maxAllocated: maxAllocated / MB, reserved: reserved / MB };
}

/** Python's repr of a float: `1761.685546875`, `2608.0`. */
export function pyFloatRepr(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/** `[Rank r] (after N iterations) memory (MB) | allocated: … | max reserved: …`. */
export function memoryLine(rank: number, iteration: number, m: CudaMemory): string {
  return `[Rank ${rank}] (after ${iteration} iterations) memory (MB) | allocated: ` +
    `${pyFloatRepr(m.allocated)} | max allocated: ${pyFloatRepr(m.maxAllocated)} | reserved: ` +
    `${pyFloatRepr(m.reserved)} | max reserved: ${pyFloatRepr(m.reserved)}`;
}

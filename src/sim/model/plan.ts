/**
 * Parallelism planning: pick the strategy, tensor/pipeline degrees, micro batch and recompute
 * policy a practitioner would choose so that the run fills, but never exceeds, GPU memory.
 */
import { type MemoryBreakdown, memoryPerGpu, type Recompute, type Strategy } from "./memory.ts";

/** A chosen layout of the model over the cluster. */
export interface ParallelPlan {
  strategy: Strategy;
  tp: number;
  pp: number;
  dp: number;
  microBatch: number;
  recompute: Recompute;
  memory: MemoryBreakdown;
}

/** What the planner needs to know. */
export interface PlanInput {
  params: number;
  layers: number;
  hidden: number;
  heads: number;
  vocab: number;
  seqLen: number;
  worldSize: number;
  gpusPerNode: number;
  memGiB: number;
  /** Strategies in order of preference (the caller's draw). */
  strategies: readonly Strategy[];
  /**
   * Most tokens a GPU's micro batch may hold: people pick a per-device batch they are used to
   * (a few sequences), not the largest that fits. Unset: the largest that fits.
   */
  maxMicroTokens?: number;
}

/** Highest fraction of GPU memory a plan may use. */
export const MAX_MEMORY_FRACTION = 0.93;
const MICRO_BATCHES = [64, 48, 32, 24, 16, 12, 8, 6, 4, 3, 2, 1];
const RECOMPUTE: readonly Recompute[] = ["none", "selective", "full"];

function modelParallelLayouts(p: PlanInput, strategy: Strategy): Array<[number, number]> {
  if (strategy !== "megatron") return [[1, 1]];
  const out: Array<[number, number]> = [];
  for (const pp of [1, 2, 4, 8, 16, 32]) {
    for (const tp of [1, 2, 4, 8]) {
      if (tp > p.gpusPerNode || p.heads % tp !== 0 || pp > p.layers) continue;
      if (p.worldSize % (tp * pp) !== 0) continue;
      out.push([tp, pp]);
    }
  }
  // Megatron users split a model across GPUs even where it would fit without: tensor parallelism
  // of about 2 from 6B, 4 from 12B, 8 from 30B, within a node. Layouts nearest that come first,
  // then the fewest pipeline stages.
  const want = Math.min(
    p.gpusPerNode,
    p.params >= 3e10 ? 8 : p.params >= 1.2e10 ? 4 : p.params >= 6e9 ? 2 : 1,
  );
  const off = (tp: number) => Math.abs(Math.log2(tp) - Math.log2(want));
  return out.sort((a, b) => off(a[0]) - off(b[0]) || a[1] - b[1] || a[0] - b[0]);
}

/** Largest micro batch that keeps memory under the cap with this layout, or null. */
function fitMicroBatch(
  p: PlanInput,
  strategy: Strategy,
  tp: number,
  pp: number,
  recompute: Recompute,
): ParallelPlan | null {
  const dp = p.worldSize / (tp * pp);
  const most = Math.max(p.seqLen, Math.min(262_144, p.maxMicroTokens ?? Infinity));
  for (const microBatch of MICRO_BATCHES) {
    if (microBatch * p.seqLen > most) continue;
    const memory = memoryPerGpu({ ...p, microBatch, dp, tp, pp, strategy, recompute });
    if (memory.totalGiB <= p.memGiB * MAX_MEMORY_FRACTION) {
      return { strategy, tp, pp, dp, microBatch, recompute, memory };
    }
  }
  return null;
}

/** The first plan that fits, trying strategies in order, or null when none fits. */
export function planParallelism(p: PlanInput): ParallelPlan | null {
  for (const strategy of p.strategies) {
    for (const [tp, pp] of modelParallelLayouts(p, strategy)) {
      for (const recompute of RECOMPUTE) {
        const plan = fitMicroBatch(p, strategy, tp, pp, recompute);
        if (plan) return plan;
      }
    }
  }
  return null;
}

/** Strategies a practitioner would consider for a model of `params` parameters, best first. */
export function candidateStrategies(params: number, pick: (n: number) => number): Strategy[] {
  const sets: Strategy[][] = params < 1.5e9
    ? [["ddp", "zero1", "zero2"], ["ddp", "fsdp", "zero2"]]
    : params < 2e10
    ? [
      ["zero2", "fsdp", "zero3", "megatron"],
      ["fsdp", "zero3", "megatron"],
      ["zero1", "zero2", "zero3", "megatron"],
      // Pre-training teams at this size often run Megatron-Core from the start.
      ["megatron", "zero2", "fsdp"],
    ]
    : params < 1e11
    ? [["zero3", "megatron"], ["fsdp", "megatron"], ["megatron", "zero3"]]
    : [["megatron", "zero3"]];
  return sets[pick(sets.length)];
}

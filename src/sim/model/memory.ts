/** Memory per GPU: model states by sharding degree, activations, logits and runtime overhead. */

/** How parameters, gradients and optimizer states are spread over data-parallel ranks. */
export type Strategy = "ddp" | "zero1" | "zero2" | "zero3" | "fsdp" | "megatron";

/** How much of the forward pass is recomputed in the backward pass. */
export type Recompute = "none" | "selective" | "full";

/** What the memory model needs to know about a run. */
export interface MemoryInput {
  params: number;
  layers: number;
  hidden: number;
  vocab: number;
  seqLen: number;
  microBatch: number;
  dp: number;
  tp: number;
  pp: number;
  strategy: Strategy;
  recompute: Recompute;
}

/** Per-GPU memory, GiB. */
export interface MemoryBreakdown {
  weightsGiB: number;
  gradsGiB: number;
  optimizerGiB: number;
  activationsGiB: number;
  overheadGiB: number;
  totalGiB: number;
}

const GIB = 1024 ** 3;
/** bf16 weights, gradients (fp32 main grads under Megatron) and fp32 master + Adam m and v. */
const WEIGHT_BYTES = 2;
const OPTIMIZER_BYTES = 12;
/** CUDA context, NCCL buffers and cuBLAS workspaces, GiB. */
const RUNTIME_GIB = 1.6;
/** Caching-allocator fragmentation on top of what tensors hold. */
const FRAGMENTATION = 0.06;

/** Bytes of activations one layer keeps per token, in units of hidden (Korthikanti et al. 2022). */
function activationFactor(recompute: Recompute): number {
  // With flash attention the 5·a·s/h score term disappears, so selective recompute keeps 34·s·b·h.
  return recompute === "full" ? 2 : recompute === "selective" ? 34 : 38;
}

/** Per-GPU memory for a training configuration (mixed-precision Adam). */
export function memoryPerGpu(m: MemoryInput): MemoryBreakdown {
  const localParams = m.params / (m.tp * m.pp);
  const gradBytes = m.strategy === "megatron" ? 4 : 2;
  let w = WEIGHT_BYTES, g = gradBytes, o = OPTIMIZER_BYTES;
  if (m.strategy === "zero1" || m.strategy === "megatron") o /= m.dp;
  if (m.strategy === "zero2") (g /= m.dp), (o /= m.dp);
  if (m.strategy === "zero3" || m.strategy === "fsdp") (w /= m.dp), (g /= m.dp), (o /= m.dp);
  // ZeRO-3/FSDP gather one layer's full weights at a time (two with prefetch).
  const gathered = m.strategy === "zero3" || m.strategy === "fsdp"
    ? (2 * WEIGHT_BYTES * m.params) / m.layers / (m.tp * m.pp)
    : 0;
  const tokens = m.seqLen * m.microBatch;
  // With pipeline parallelism the first stage holds pp micro-batches of layers/pp layers.
  const perLayer = (tokens * m.hidden * activationFactor(m.recompute)) / m.tp;
  const recomputeBuffer = m.recompute === "full" ? (tokens * m.hidden * 34) / m.tp : 0;
  const logits = (tokens * m.vocab * 6) / m.tp / (m.pp > 1 ? 2 : 1);
  const weightsGiB = (localParams * w + gathered) / GIB;
  const gradsGiB = (localParams * g) / GIB;
  const optimizerGiB = (localParams * o) / GIB;
  const activationsGiB = (m.layers * perLayer + recomputeBuffer + logits) / GIB;
  const tensors = weightsGiB + gradsGiB + optimizerGiB + activationsGiB;
  const overheadGiB = RUNTIME_GIB + tensors * FRAGMENTATION;
  return {
    weightsGiB,
    gradsGiB,
    optimizerGiB,
    activationsGiB,
    overheadGiB,
    totalGiB: tensors + overheadGiB,
  };
}

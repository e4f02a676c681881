/** Throughput from physics: FLOPs per token, the GPU's peak and the run's MFU. */
import type { GpuSpec, Precision } from "../catalog.ts";

/**
 * Training FLOPs per token: 6 per parameter (forward and backward) plus the attention term
 * 12 × layers × hidden × seqLen (PaLM, appendix B).
 */
export function flopsPerToken(params: number, layers: number, hidden: number, seqLen: number) {
  return 6 * params + 12 * layers * hidden * seqLen;
}

/** Dense peak of one GPU at the given precision, TFLOP/s (fp8 falls back to bf16 when absent). */
export function peakTflops(gpu: GpuSpec, precision: Precision): number {
  return precision === "fp8" && gpu.fp8Tflops ? gpu.fp8Tflops : gpu.bf16Tflops;
}

/** Cluster tokens per second at model FLOPs utilisation `mfu` (0–1). */
export function tokensPerSec(mfu: number, peak: number, gpus: number, flopsPerTok: number) {
  return (mfu * peak * 1e12 * gpus) / flopsPerTok;
}

/** Achieved TFLOP/s per GPU for a cluster throughput. */
export function tflopsPerGpu(tokPerSec: number, flopsPerTok: number, gpus: number): number {
  return (tokPerSec * flopsPerTok) / gpus / 1e12;
}

/** Seconds one optimizer step takes: tokens in the global batch over cluster tokens/s. */
export function stepSeconds(tokensPerStep: number, tokPerSec: number): number {
  return tokensPerStep / tokPerSec;
}

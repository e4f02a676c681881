/**
 * PEFT's arithmetic and its one line: the parameters LoRA adds to a decoder's projections, and
 * `print_trainable_parameters()`.
 */
import type { ModelSpec } from "../sim/catalog.ts";
import { pyFixed } from "../format/py_format.ts";
import { thousands } from "../format/units.ts";

/** A decoder's linear projections, by the module names LoRA targets. */
export type Projection = "q" | "k" | "v" | "o" | "gate" | "up" | "down";

/** The width of one attention head: Gemma 2's 2B and 9B use 256 (27B 128), the rest hidden / heads. */
function headDim(m: ModelSpec): number {
  if (m.family === "gemma") return /gemma-2-27b/i.test(m.hf) ? 128 : 256;
  return Math.floor(m.hidden / m.heads);
}

/**
 * LoRA's added parameters: `r × (in + out)` per targeted projection (A is r × in, B is out × r),
 * every layer. q/o run between the hidden size and the heads' width, k/v to the KV heads' width,
 * gate/up/down between the hidden size and the MLP's. Without `targets`, every linear layer (as
 * `all` targets it; Phi-3's fused q/k/v and gate/up are one projection each, of the summed widths).
 */
export function loraParams(m: ModelSpec, rank: number, targets?: readonly Projection[]): number {
  const h = m.hidden, d = headDim(m), q = m.heads * d, kv = m.kvHeads * d, f = m.ffn;
  if (!targets && m.family === "phi") {
    return rank * m.layers * ((h + q + 2 * kv) + (q + h) + (h + 2 * f) + (f + h));
  }
  const width: Record<Projection, number> = {
    q: h + q,
    k: h + kv,
    v: h + kv,
    o: q + h,
    gate: h + f,
    up: h + f,
    down: f + h,
  };
  const all: Projection[] = ["q", "k", "v", "o", "gate", "up", "down"];
  return rank * m.layers * (targets ?? all).reduce((sum, p) => sum + width[p], 0);
}

/** `print_trainable_parameters()` (peft ≥ 0.11: the share to four decimals). */
export function trainableLine(trainable: number, all: number): string {
  return `trainable params: ${thousands(trainable)} || all params: ${thousands(all)} || ` +
    `trainable%: ${pyFixed((100 * trainable) / all, 4)}`;
}

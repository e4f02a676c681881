/** Style names and the choice `--style auto` makes, without loading any style. */
import type { RunConfig } from "../sim/run_config.ts";

/** Every style `--style` accepts besides `auto`. */
export const STYLE_NAMES = [
  "torchrun",
  "megatron",
  "deepspeed",
  "hf",
  "lightning",
  "nanogpt",
  "native",
] as const;

/** A style's name. */
export type StyleName = typeof STYLE_NAMES[number];

/** Fine-tunes of models up to this size look like the Hugging Face Trainer. */
export const HF_MAX_PARAMS = 2e10;

/**
 * The style `auto` picks for a run: Megatron for TP/PP, the HF Trainer for fine-tunes up to
 * 20B parameters, DeepSpeed for ZeRO, nanoGPT for DDP pre-training, and for FSDP torchrun
 * (pre-training) or Lightning (larger fine-tunes).
 */
export function autoStyleName(cfg: RunConfig): StyleName {
  const s = cfg.plan.strategy;
  if (s === "megatron") return "megatron";
  if (cfg.task === "finetune" && cfg.model.params <= HF_MAX_PARAMS) return "hf";
  if (s.startsWith("zero")) return "deepspeed";
  if (s === "ddp") return "nanogpt";
  return cfg.task === "pretrain" ? "torchrun" : "lightning";
}

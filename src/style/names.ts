/** Style names and the choice `--style auto` makes, without loading any style. */
import type { RunConfig } from "../sim/run_config.ts";
import { hashUnit } from "../sim/rng.ts";

/** Every style `--style` accepts besides `auto`. */
export const STYLE_NAMES = [
  "torchrun",
  "megatron",
  "deepspeed",
  "hf",
  "lightning",
  "nanogpt",
  "llmc",
  "speedrun",
  "native",
] as const;

/** A style's name. */
export type StyleName = typeof STYLE_NAMES[number];

/** Fine-tunes of models up to this size look like the Hugging Face Trainer. */
export const HF_MAX_PARAMS = 2e10;

/** GPUs llm.c and the speedrun scripts are run on (one node of them). */
const GPT2_RIG_GPUS = ["h100-sxm", "h100-pcie", "a100-80gb", "a100-40gb", "a100-pcie"];
/** Longest run (steps) that still reads as a speedrun: a record run lasts minutes. */
export const SPEEDRUN_MAX_STEPS = 6500;

/** A GPT-2 (124M to 1.5B) pre-trained from scratch on FineWeb on one node of A100s or H100s. */
export function isGpt2Rig(cfg: RunConfig): boolean {
  return cfg.task === "pretrain" && cfg.model.family === "gpt2" && cfg.nodes === 1 &&
    GPT2_RIG_GPUS.includes(cfg.gpu.id) && cfg.dataset.id.startsWith("fineweb");
}

/** A modded-nanogpt record run: GPT-2 small or medium, 8 × H100, a few thousand steps. */
export function isSpeedrun(cfg: RunConfig): boolean {
  return isGpt2Rig(cfg) && cfg.gpu.id === "h100-sxm" && cfg.gpusPerNode === 8 &&
    cfg.model.params < 5e8 && cfg.totalSteps <= SPEEDRUN_MAX_STEPS;
}

/**
 * The models torchtitan ships a train spec for (its Llama 3 flavors; the Llama 2 ones were gone by
 * the releases that run on torch 2.6); other models get no torchtitan run.
 */
export const TITAN_MODELS: ReadonlySet<string> = new Set([
  "llama-3-8b",
  "llama-3.1-8b",
  "llama-3-70b",
  "llama-3.1-70b",
  "llama-3-405b",
]);

/** The oldest torch (2.x minor) the torchtitan trainer the style follows runs on. */
export const TITAN_MIN_TORCH_MINOR = 6;

/**
 * Who pre-trains with FSDP: torchtitan for the Llamas it ships, the HF Trainer (run_clm with FSDP)
 * for other models up to 20B, Megatron-LM (its torch FSDP2 path) above.
 */
function fsdpPretrainer(cfg: RunConfig): StyleName {
  // torchtitan's trainer follows torch's nightlies: a cluster on an older torch runs another.
  const torchMinor = Number(cfg.cluster.torchVersion.split(".")[1]);
  if (TITAN_MODELS.has(cfg.model.id) && torchMinor >= TITAN_MIN_TORCH_MINOR) return "torchrun";
  return cfg.model.params <= HF_MAX_PARAMS ? "hf" : "megatron";
}

/** The share of Llama FSDP fine-tunes that run llama-recipes' script under torchrun. */
export const RECIPES_SHARE = 0.4;

/**
 * A Llama fine-tuned on an FSDP plan that runs llama-recipes' FSDP script (its torchrun
 * launch) rather than the framework the seed would otherwise get (fixed per seed).
 */
export function runsLlamaRecipes(cfg: RunConfig): boolean {
  return cfg.task === "finetune" && cfg.model.family === "llama" &&
    cfg.plan.strategy === "fsdp" && hashUnit(cfg.seed, 5353) < RECIPES_SHARE;
}

/**
 * Who runs a fine-tune up to 20B: mostly the HF Trainer, now and then a Lightning script or, on a
 * ZeRO plan, a DeepSpeed-Chat-style script, or for a Llama on FSDP llama-recipes (fixed per
 * seed).
 */
function fineTuner(cfg: RunConfig): StyleName {
  if (runsLlamaRecipes(cfg)) return "torchrun";
  const h = hashUnit(cfg.seed, 5151);
  if (h < 0.62) return "hf";
  if (h < 0.84) return "lightning";
  return cfg.plan.strategy.startsWith("zero") ? "deepspeed" : "hf";
}

/**
 * The style `auto` picks for a run: Megatron for TP/PP, the HF Trainer (or Lightning, or
 * DeepSpeed) for fine-tunes up to 20B parameters, a modded-nanogpt speedrun or llm.c for GPT-2
 * pre-training on one node of A100s or H100s, DeepSpeed for other ZeRO fine-tunes and the HF
 * Trainer (up to 20B) or Megatron for ZeRO pre-training, nanoGPT (or Lightning) for DDP
 * pre-training,
 * and for FSDP torchtitan, the HF Trainer or Megatron (pre-training) or Lightning (larger
 * fine-tunes); a share of Llama FSDP fine-tunes of any size runs llama-recipes under torchrun.
 */
export function autoStyleName(cfg: RunConfig): StyleName {
  const s = cfg.plan.strategy;
  if (s === "megatron") return "megatron";
  if (cfg.task === "finetune" && cfg.model.params <= HF_MAX_PARAMS) return fineTuner(cfg);
  if (isSpeedrun(cfg)) return "speedrun";
  if (isGpt2Rig(cfg)) return "llmc";
  // DeepSpeed-Chat's script fine-tunes; ZeRO pre-training runs through the HF Trainer's
  // DeepSpeed integration, or Megatron (its DeepSpeed fork's log reads as Megatron's) above 20B.
  if (s.startsWith("zero")) {
    if (cfg.task !== "pretrain") return "deepspeed";
    return cfg.model.params <= HF_MAX_PARAMS ? "hf" : "megatron";
  }
  // Plain data-parallel pre-training: nanoGPT's train.py, or a LightningModule around a model
  // built from its config (fixed per seed).
  if (s === "ddp") return hashUnit(cfg.seed, 5252) < 0.3 ? "lightning" : "nanogpt";
  if (cfg.task === "pretrain") return fsdpPretrainer(cfg);
  return runsLlamaRecipes(cfg) ? "torchrun" : "lightning";
}

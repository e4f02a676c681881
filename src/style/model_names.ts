/** How the Hugging Face ecosystem names a model's classes, by architecture family. */
import type { ModelSpec } from "../sim/catalog.ts";

const ARCH: Record<string, [string, string]> = {
  llama: ["LlamaForCausalLM", "llama"],
  mistral: ["MistralForCausalLM", "mistral"],
  qwen: ["Qwen2ForCausalLM", "qwen2"],
  gemma: ["Gemma2ForCausalLM", "gemma2"],
  phi: ["Phi3ForCausalLM", "phi3"],
  falcon: ["FalconForCausalLM", "falcon"],
  gpt2: ["GPT2LMHeadModel", "gpt2"],
  "gpt-neox": ["GPTNeoXForCausalLM", "gpt_neox"],
  bloom: ["BloomForCausalLM", "bloom"],
  olmo: ["OlmoForCausalLM", "olmo"],
  mixtral: ["MixtralForCausalLM", "mixtral"],
  deepseek: ["DeepseekV2ForCausalLM", "deepseek_v2"],
  "qwen2-moe": ["Qwen2MoeForCausalLM", "qwen2_moe"],
  olmoe: ["OlmoeForCausalLM", "olmoe"],
};

/** The `transformers` model class: `LlamaForCausalLM` (invented models are Llama-shaped). */
export function hfArchitecture(m: ModelSpec): string {
  return (ARCH[m.family] ?? ARCH.llama)[0];
}

/** The config's `model_type`: `llama`, `qwen2`, `gpt_neox`. */
export function hfModelType(m: ModelSpec): string {
  return (ARCH[m.family] ?? ARCH.llama)[1];
}

/** The config class name: `LlamaConfig`, `Qwen2Config`, `GPTNeoXConfig`. */
export function hfConfigClass(m: ModelSpec): string {
  return hfArchitecture(m).replace(/(ForCausalLM|LMHeadModel)$/, "Config");
}

/** Weight tensors in a GGUF file: nine per block, plus embeddings, final norm and head. */
export function ggufTensorCount(m: ModelSpec): number {
  return m.layers * 9 + 3;
}

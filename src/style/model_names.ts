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

/** Parameter tensors of one decoder block, by architecture family (biases and norms counted). */
const BLOCK_TENSORS: Record<string, (m: ModelSpec) => number> = {
  // q, k, v, o, gate, up, down, two RMSNorms.
  llama: () => 9,
  mistral: () => 9,
  custom: () => 9,
  // Llama's nine and the q, k, v biases.
  qwen: () => 12,
  // Llama's nine and the pre/post feed-forward norms.
  gemma: () => 11,
  // fused qkv, o, fused gate_up, down, two norms.
  phi: () => 6,
  // ln_1, c_attn, c_proj, ln_2, c_fc, mlp c_proj: weight and bias each.
  gpt2: () => 12,
  "gpt-neox": () => 12,
  bloom: () => 12,
  // fused qkv, dense, two MLP matrices, and one LayerNorm (7B) or two (the new architecture).
  falcon: (m) => (m.params > 2e10 ? 8 : 6),
  // OLMo's LayerNorm has no parameters: q, k, v, o, gate, up, down.
  olmo: () => 7,
  // q, k, v, o, the router, three matrices per expert, two norms.
  mixtral: (m) => 4 + 1 + 3 * (m.moe?.experts ?? 8) + 2,
  // q, k, v and biases, o, the router, the experts, a shared expert and its gate, two norms.
  "qwen2-moe": (m) => 7 + 1 + 3 * (m.moe?.experts ?? 60) + 3 + 1 + 2,
  // q, k, v, o, q_norm, k_norm, the router, the experts, two norms.
  olmoe: (m) => 6 + 1 + 3 * (m.moe?.experts ?? 64) + 2,
  // MLA (q, kv_a, kv_a norm, kv_b, o), the router, routed and shared experts, two norms.
  deepseek: (m) => 5 + 1 + 3 * (m.moe?.experts ?? 64) + 3 + 2,
};

/** Tensors outside the blocks: embeddings, final norm, head (none when tied to the embeddings). */
function outerTensors(m: ModelSpec): number {
  switch (m.family) {
    case "gpt2":
      return 4; // wte, wpe, ln_f weight and bias
    case "gpt-neox":
      return 4; // embed_in, final_layer_norm weight and bias, embed_out
    case "bloom":
      return 5; // word_embeddings, its LayerNorm's two, ln_f's two
    case "falcon":
      return 3; // word_embeddings, ln_f weight and bias (the head is tied)
    case "olmo":
      return 2; // embed_tokens, lm_head (no final norm parameters)
    case "gemma":
      return 2; // embed_tokens, norm (tied head)
  }
  return tiedHead(m) ? 2 : 3;
}

/**
 * Whether a Llama-layout model's output head shares the embeddings' weights (small Qwen2.5,
 * Llama 3.2, Gemma): then it adds no parameters of its own.
 */
export function tiedHead(m: ModelSpec): boolean {
  return (m.family === "qwen" && m.hidden <= 2048) || m.id.startsWith("llama-3.2") ||
    m.family === "gemma";
}

/** Parameter tensors of the model (a state dict's, a GGUF file's): blocks and the rest. */
export function ggufTensorCount(m: ModelSpec): number {
  const block = (BLOCK_TENSORS[m.family] ?? BLOCK_TENSORS.llama)(m);
  return m.layers * block + outerTensors(m);
}

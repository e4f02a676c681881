/**
 * The body of transformers' `Model config <Class> {…}` log record: what
 * `PretrainedConfig.to_json_string(use_diff=True)` prints for a checkpoint's config.json once its
 * config class has loaded it. That is every attribute the class itself sets, plus the base
 * attributes (`architectures`, token ids, `dtype`, `tie_word_embeddings`…) whose value differs
 * from `PretrainedConfig`'s defaults or the class's own, with `model_type` and
 * `transformers_version` always; keys sorted, two-space indent, floats as Python's repr writes them.
 * Values are those of each real checkpoint's config.json (transformers 4.57's config classes);
 * invented models are Llama-shaped.
 */
import type { ModelSpec } from "../sim/catalog.ts";
import { hfArchitecture, hfModelType } from "./model_names.ts";

/** A Python float: printed `0.0`, `1e-05`, `500000.0` where a JS number would print `0`. */
class PyFloat {
  constructor(readonly value: number) {}
}

type PyValue = null | boolean | number | string | PyFloat | PyValue[] | PyDict;
interface PyDict {
  [key: string]: PyValue;
}

/** A float-valued field (an int-valued one is a plain number). */
const f = (value: number): PyFloat => new PyFloat(value);

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  const [mantissa, expText] = x.toExponential().split("e");
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) {
    const s = String(x);
    return s.includes(".") ? s : `${s}.0`;
  }
  const sign = exp < 0 ? "-" : "+";
  return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** `json.dumps(value, indent=2, sort_keys=True)` for the value types a config holds. */
function pyJson(value: PyValue, depth = 0): string {
  if (value === null) return "null";
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  const pad = "  ".repeat(depth + 1), close = "  ".repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => pad + pyJson(v, depth + 1)).join(",\n")}\n${close}]`;
  }
  const keys = Object.keys(value).sort();
  if (keys.length === 0) return "{}";
  const items = keys.map((k) => `${pad}${JSON.stringify(k)}: ${pyJson(value[k], depth + 1)}`);
  return `{\n${items.join(",\n")}\n${close}}`;
}

/** Whether `version` (`4.57.6`) is at least major.minor. */
function atLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split(".").map((p) => parseInt(p, 10));
  return a > major || (a === major && (b ?? 0) >= minor);
}

/** The fields every config has: the class's architecture, the dtype the checkpoint stores. */
interface Common {
  /** config.json's `torch_dtype`, or null when the checkpoint's config has none (GPT-2). */
  dtype: string | null;
}

/** Llama-3.1's and 3.2's RoPE frequency scaling. */
function llama3Rope(factor: number): PyDict {
  return {
    factor: f(factor),
    high_freq_factor: f(4),
    low_freq_factor: f(1),
    original_max_position_embeddings: 8192,
    rope_type: "llama3",
  };
}

/** The keys every decoder config here carries from the model's own shape, as its checkpoint has them. */
function decoderShape(m: ModelSpec): PyDict {
  return {
    hidden_size: m.hidden,
    initializer_range: f(0.02),
    max_position_embeddings: m.ctx,
    num_attention_heads: m.heads,
    num_hidden_layers: m.layers,
    num_key_value_heads: m.kvHeads,
    vocab_size: m.vocab,
  };
}

/** `LlamaConfig`: Llama-2/3/3.1/3.2, TinyLlama and the invented Llama-shaped models. */
function llama(m: ModelSpec): [PyDict, Common] {
  const hf = m.hf;
  const big = m.vocab > 100000;
  let bos = big ? 128000 : 1, eos = big ? 128001 : 2;
  let theta = big ? 500000 : 10000;
  let rope: PyValue = null, tie = false, dtype = "bfloat16";
  if (/Llama-2-/.test(hf)) dtype = "float16";
  else if (/TinyLlama/.test(hf)) dtype = "float32";
  else if (/Llama-3\.1-/.test(hf)) rope = llama3Rope(8);
  else if (/Llama-3\.2-/.test(hf)) {
    rope = llama3Rope(32);
    tie = true;
  }
  if (/Llama-2-|TinyLlama/.test(hf)) [bos, eos, theta] = [1, 2, 10000];
  return [{
    ...decoderShape(m),
    attention_bias: false,
    attention_dropout: f(0),
    bos_token_id: bos,
    eos_token_id: eos,
    head_dim: Math.floor(m.hidden / m.heads),
    hidden_act: "silu",
    intermediate_size: m.ffn,
    mlp_bias: false,
    pretraining_tp: 1,
    rms_norm_eps: f(1e-5),
    rope_scaling: rope,
    rope_theta: f(theta),
    tie_word_embeddings: tie,
    use_cache: true,
  }, { dtype }];
}

/** `MistralConfig` (Mistral-7B-v0.1: 32k positions, a 4096-token sliding window). */
function mistral(m: ModelSpec): [PyDict, Common] {
  const v01 = /Mistral-7B-v0\.1/.test(m.hf);
  return [{
    attention_dropout: f(0),
    bos_token_id: 1,
    eos_token_id: 2,
    head_dim: Math.floor(m.hidden / m.heads),
    hidden_act: "silu",
    hidden_size: m.hidden,
    initializer_range: f(0.02),
    intermediate_size: m.ffn,
    max_position_embeddings: v01 ? 32768 : m.ctx,
    num_attention_heads: m.heads,
    num_hidden_layers: m.layers,
    num_key_value_heads: m.kvHeads,
    rms_norm_eps: f(1e-5),
    rope_theta: f(10000),
    sliding_window: 4096,
    tie_word_embeddings: false,
    use_cache: true,
    vocab_size: m.vocab,
  }, { dtype: "bfloat16" }];
}

/** `Qwen2Config` (Qwen2.5 base models; 4.57 drops the window when `use_sliding_window` is off). */
function qwen2(m: ModelSpec): [PyDict, Common] {
  const small = m.hidden <= 3584; // 0.5B to 7B: 1e-06; 14B and up: 1e-05
  const windowLayers = /Qwen2\.5-(0\.5|1\.5)B/.test(m.hf) ? 21 : m.layers;
  return [{
    ...decoderShape(m),
    attention_dropout: f(0),
    bos_token_id: 151643,
    eos_token_id: 151643,
    hidden_act: "silu",
    intermediate_size: m.ffn,
    layer_types: Array.from({ length: m.layers }, () => "full_attention"),
    max_window_layers: windowLayers,
    rms_norm_eps: f(small ? 1e-6 : 1e-5),
    rope_scaling: null,
    rope_theta: f(1000000),
    sliding_window: null,
    // Qwen2.5 up to 3B ties the LM head to the embeddings.
    tie_word_embeddings: m.hidden <= 2048,
    use_cache: true,
    use_sliding_window: false,
  }, { dtype: "bfloat16" }];
}

/** `Gemma2Config`: soft-capping, alternating sliding/global layers, tied embeddings (default). */
function gemma2(m: ModelSpec): [PyDict, Common] {
  const is27b = /gemma-2-27b/.test(m.hf);
  const headDim = is27b ? 128 : /gemma-2-(2|9)b/.test(m.hf) ? 256 : Math.floor(m.hidden / m.heads);
  return [{
    ...decoderShape(m),
    attention_bias: false,
    attention_dropout: f(0),
    attn_logit_softcapping: f(50),
    bos_token_id: 2,
    cache_implementation: "hybrid",
    eos_token_id: 1,
    final_logit_softcapping: f(30),
    head_dim: headDim,
    hidden_act: "gelu_pytorch_tanh",
    hidden_activation: "gelu_pytorch_tanh",
    intermediate_size: m.ffn,
    layer_types: Array.from(
      { length: m.layers },
      (_, i) => (i + 1) % 2 ? "sliding_attention" : "full_attention",
    ),
    pad_token_id: 0,
    // 27B scales queries by hidden/heads (144), the others by head_dim.
    query_pre_attn_scalar: is27b ? m.hidden / m.heads : headDim,
    rms_norm_eps: f(1e-6),
    rope_theta: f(10000),
    sliding_window: 4096,
    use_cache: true,
  }, { dtype: "float32" }];
}

/** `Phi3Config` (the 4k-context mini and medium checkpoints). */
function phi3(m: ModelSpec): [PyDict, Common] {
  return [{
    ...decoderShape(m),
    attention_dropout: f(0),
    bos_token_id: 1,
    embd_pdrop: f(0),
    eos_token_id: 32000,
    hidden_act: "silu",
    intermediate_size: m.ffn,
    original_max_position_embeddings: m.ctx,
    pad_token_id: 32000,
    partial_rotary_factor: f(1),
    resid_pdrop: f(0),
    rms_norm_eps: f(1e-5),
    rope_scaling: null,
    rope_theta: f(10000),
    sliding_window: 2047,
    tie_word_embeddings: false,
    use_cache: true,
  }, { dtype: "bfloat16" }];
}

/** `FalconConfig`: 7B is multi-query; 40B and 180B use the new decoder with 8 KV groups. */
function falcon(m: ModelSpec): [PyDict, Common] {
  const newArch = m.kvHeads > 1;
  return [{
    activation: "gelu",
    alibi: false,
    attention_dropout: f(0),
    bias: false,
    bos_token_id: 11,
    eos_token_id: 11,
    ffn_hidden_size: m.hidden * 4,
    hidden_dropout: f(0),
    hidden_size: m.hidden,
    initializer_range: f(0.02),
    layer_norm_epsilon: f(1e-5),
    max_position_embeddings: m.ctx,
    multi_query: true,
    new_decoder_architecture: newArch,
    num_attention_heads: m.heads,
    num_hidden_layers: m.layers,
    // falcon-7b's config.json has no num_kv_heads: the class falls back to the head count.
    num_kv_heads: newArch ? m.kvHeads : m.heads,
    num_ln_in_parallel_attn: null,
    parallel_attn: true,
    rope_scaling: null,
    rope_theta: f(10000),
    use_cache: true,
    vocab_size: m.vocab,
  }, { dtype: "bfloat16" }];
}

/** `GPT2Config`, with GPT-2's own names (`n_embd`, `n_head`, `n_layer`…); no torch_dtype. */
function gpt2(m: ModelSpec): [PyDict, Common] {
  return [{
    activation_function: "gelu_new",
    attn_pdrop: f(0.1),
    bos_token_id: 50256,
    embd_pdrop: f(0.1),
    eos_token_id: 50256,
    initializer_range: f(0.02),
    layer_norm_epsilon: f(1e-5),
    n_ctx: m.ctx,
    n_embd: m.hidden,
    n_head: m.heads,
    n_inner: null,
    n_layer: m.layers,
    n_positions: m.ctx,
    reorder_and_upcast_attn: false,
    resid_pdrop: f(0.1),
    scale_attn_by_inverse_layer_idx: false,
    scale_attn_weights: true,
    summary_activation: null,
    summary_first_dropout: f(0.1),
    summary_proj_to_labels: true,
    summary_type: "cls_index",
    summary_use_proj: true,
    // A base attribute, printed because it differs from the default None.
    task_specific_params: { "text-generation": { do_sample: true, max_length: 50 } },
    use_cache: true,
    vocab_size: m.vocab,
  }, { dtype: null }];
}

/** `GPTNeoXConfig` (Pythia, GPT-NeoX-20B): a quarter of each head rotary, parallel residual. */
function gptNeox(m: ModelSpec): [PyDict, Common] {
  return [{
    attention_bias: true,
    attention_dropout: f(0),
    bos_token_id: 0,
    classifier_dropout: f(0.1),
    eos_token_id: 0,
    hidden_act: /gpt-neox-20b/.test(m.hf) ? "gelu_fast" : "gelu",
    hidden_dropout: f(0),
    hidden_size: m.hidden,
    initializer_range: f(0.02),
    intermediate_size: m.ffn,
    layer_norm_eps: f(1e-5),
    max_position_embeddings: m.ctx,
    num_attention_heads: m.heads,
    num_hidden_layers: m.layers,
    partial_rotary_factor: f(0.25),
    rope_scaling: null,
    rope_theta: 10000,
    rotary_emb_base: 10000,
    rotary_pct: f(0.25),
    tie_word_embeddings: false,
    use_cache: true,
    use_parallel_residual: true,
    vocab_size: m.vocab,
  }, { dtype: "float16" }];
}

/** `BloomConfig`, with BLOOM's `n_layer`/`n_head`; ALiBi, so no position fields. */
function bloom(m: ModelSpec): [PyDict, Common] {
  return [{
    apply_residual_connection_post_layernorm: false,
    attention_dropout: f(0),
    bos_token_id: 1,
    eos_token_id: 2,
    hidden_dropout: f(0),
    hidden_size: m.hidden,
    initializer_range: f(0.02),
    layer_norm_epsilon: f(1e-5),
    n_head: m.heads,
    n_layer: m.layers,
    pad_token_id: 3,
    // The 176B model was trained with 4-way tensor parallelism.
    pretraining_tp: m.params > 1e11 ? 4 : 1,
    slow_but_exact: false,
    use_cache: true,
    vocab_size: m.vocab,
  }, { dtype: null }];
}

/** `OlmoConfig` (OLMo-7B-hf): non-parametric layer norm, so no eps; `clip_qkv`. */
function olmo(m: ModelSpec): [PyDict, Common] {
  return [{
    ...decoderShape(m),
    attention_bias: false,
    attention_dropout: f(0),
    clip_qkv: null,
    eos_token_id: 50279,
    hidden_act: "silu",
    intermediate_size: m.ffn,
    pad_token_id: 1,
    rope_scaling: null,
    rope_theta: f(10000),
    tie_word_embeddings: false,
    use_cache: true,
  }, { dtype: "float32" }];
}

/** `MixtralConfig` (8x7B and 8x22B: 8 experts, top-2, no sliding window). */
function mixtral(m: ModelSpec): [PyDict, Common] {
  const moe = m.moe;
  return [{
    ...decoderShape(m),
    attention_dropout: f(0),
    bos_token_id: 1,
    eos_token_id: 2,
    head_dim: Math.floor(m.hidden / m.heads),
    hidden_act: "silu",
    intermediate_size: moe?.expertFfn ?? m.ffn,
    num_experts_per_tok: moe?.topK ?? 2,
    num_local_experts: moe?.experts ?? 8,
    output_router_logits: false,
    rms_norm_eps: f(1e-5),
    rope_theta: f(1000000),
    router_aux_loss_coef: f(/8x22B/.test(m.hf) ? 0.001 : 0.02),
    router_jitter_noise: f(0),
    sliding_window: null,
    tie_word_embeddings: false,
    use_cache: true,
  }, { dtype: "bfloat16" }];
}

/** `DeepseekV2Config` (DeepSeek-V2-Lite: MLA without a query LoRA, YaRN to 160k positions). */
function deepseekV2(m: ModelSpec): [PyDict, Common] {
  const moe = m.moe;
  const expertFfn = moe?.expertFfn ?? 1408;
  return [{
    attention_bias: false,
    attention_dropout: f(0),
    aux_loss_alpha: f(0.001),
    bos_token_id: 100000,
    eos_token_id: 100001,
    first_k_dense_replace: moe?.denseLayers ?? 1,
    head_dim: 64,
    hidden_act: "silu",
    hidden_size: m.hidden,
    initializer_range: f(0.02),
    intermediate_size: m.ffn,
    kv_lora_rank: 512,
    max_position_embeddings: 163840,
    mlp_bias: false,
    moe_intermediate_size: expertFfn,
    n_group: 1,
    n_routed_experts: moe?.experts ?? 64,
    n_shared_experts: moe ? Math.round(moe.sharedFfn / expertFfn) : 2,
    norm_topk_prob: false,
    num_attention_heads: m.heads,
    num_experts_per_tok: moe?.topK ?? 6,
    num_hidden_layers: m.layers,
    num_key_value_heads: m.kvHeads,
    q_lora_rank: null,
    qk_nope_head_dim: 128,
    qk_rope_head_dim: 64,
    rms_norm_eps: f(1e-6),
    rope_scaling: {
      beta_fast: 32,
      beta_slow: 1,
      factor: 40,
      mscale: f(0.707),
      mscale_all_dim: f(0.707),
      original_max_position_embeddings: 4096,
      rope_type: "yarn",
      type: "yarn",
    },
    rope_theta: 10000,
    routed_scaling_factor: f(1),
    seq_aux: true,
    tie_word_embeddings: false,
    topk_group: 1,
    topk_method: "greedy",
    use_cache: true,
    v_head_dim: 128,
    vocab_size: m.vocab,
  }, { dtype: "bfloat16" }];
}

/** `Qwen2MoeConfig` (Qwen1.5-MoE-A2.7B: 60 experts, top-4, one shared expert). */
function qwen2Moe(m: ModelSpec): [PyDict, Common] {
  const moe = m.moe;
  return [{
    ...decoderShape(m),
    attention_dropout: f(0),
    bos_token_id: 151643,
    decoder_sparse_step: 1,
    eos_token_id: 151643,
    hidden_act: "silu",
    intermediate_size: m.ffn,
    max_window_layers: 21,
    mlp_only_layers: [],
    moe_intermediate_size: moe?.expertFfn ?? 1408,
    norm_topk_prob: false,
    num_experts: moe?.experts ?? 60,
    num_experts_per_tok: moe?.topK ?? 4,
    output_router_logits: false,
    rms_norm_eps: f(1e-6),
    rope_scaling: null,
    rope_theta: f(1000000),
    router_aux_loss_coef: f(0.001),
    shared_expert_intermediate_size: moe?.sharedFfn ?? 5632,
    sliding_window: null,
    tie_word_embeddings: false,
    use_cache: true,
    use_sliding_window: false,
  }, { dtype: "bfloat16" }];
}

/** `OlmoeConfig` (OLMoE-1B-7B-0924: 64 experts, top-8, QK-norm). */
function olmoe(m: ModelSpec): [PyDict, Common] {
  const moe = m.moe;
  return [{
    ...decoderShape(m),
    attention_bias: false,
    attention_dropout: f(0),
    clip_qkv: null,
    eos_token_id: 50279,
    hidden_act: "silu",
    intermediate_size: moe?.expertFfn ?? m.ffn,
    norm_topk_prob: false,
    num_experts: moe?.experts ?? 64,
    num_experts_per_tok: moe?.topK ?? 8,
    output_router_logits: false,
    pad_token_id: 1,
    rms_norm_eps: f(1e-5),
    rope_scaling: null,
    rope_theta: f(10000),
    router_aux_loss_coef: f(0.01),
    tie_word_embeddings: false,
    use_cache: true,
  }, { dtype: "bfloat16" }];
}

const FAMILY: Record<string, (m: ModelSpec) => [PyDict, Common]> = {
  llama,
  mistral,
  qwen: qwen2,
  gemma: gemma2,
  phi: phi3,
  falcon,
  gpt2,
  "gpt-neox": gptNeox,
  bloom,
  olmo,
  mixtral,
  deepseek: deepseekV2,
  "qwen2-moe": qwen2Moe,
  olmoe,
};

/**
 * The JSON transformers prints after `Model config <Class> ` for the model's checkpoint (no
 * trailing newline): 4.56 and later name the stored precision `dtype`, older `torch_dtype`.
 */
export function modelConfigJson(m: ModelSpec, transformersVersion: string): string {
  const [fields, common] = (FAMILY[m.family] ?? llama)(m);
  const json: PyDict = {
    ...fields,
    architectures: [hfArchitecture(m)],
    model_type: hfModelType(m),
    transformers_version: transformersVersion,
  };
  if (common.dtype !== null) {
    json[atLeast(transformersVersion, 4, 56) ? "dtype" : "torch_dtype"] = common.dtype;
  }
  return pyJson(json);
}

/** A number in the model's config (`rope_theta`, `rms_norm_eps`, `head_dim`), or null. */
export function configNumber(m: ModelSpec, key: string): number | null {
  const v = (FAMILY[m.family] ?? llama)(m)[0][key];
  return v instanceof PyFloat ? v.value : typeof v === "number" ? v : null;
}

/** A true/false field of the model's config (`tie_word_embeddings`), or null. */
export function configFlag(m: ModelSpec, key: string): boolean | null {
  const v = (FAMILY[m.family] ?? llama)(m)[0][key];
  return typeof v === "boolean" ? v : null;
}

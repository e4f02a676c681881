import assert from "node:assert/strict";
import { findModel, type ModelSpec } from "../../src/sim/catalog.ts";
import modelsJson from "../../data/models.json" with { type: "json" };
import { modelConfigJson, pyFloatRepr } from "../../src/style/hf_model_config.ts";
import { modelConfig } from "../../src/style/hf_setup.ts";
import { hfModelType } from "../../src/style/model_names.ts";

const V = "4.57.6";

function model(id: string): ModelSpec {
  const m = findModel(id);
  assert.ok(m, `no model ${id}`);
  return m;
}

/** A JSON list of `n` copies of `item`, indented as a top-level key's value. */
function list(item: string, n: number): string {
  return `[\n${Array.from({ length: n }, () => `    "${item}"`).join(",\n")}\n  ]`;
}

Deno.test("hf model config: Qwen2.5-14B is a Qwen2Config, not Llama's", () => {
  const json = modelConfigJson(model("qwen2.5-14b"), V);
  assert.equal(
    json,
    `{
  "architectures": [
    "Qwen2ForCausalLM"
  ],
  "attention_dropout": 0.0,
  "bos_token_id": 151643,
  "dtype": "bfloat16",
  "eos_token_id": 151643,
  "hidden_act": "silu",
  "hidden_size": 5120,
  "initializer_range": 0.02,
  "intermediate_size": 13824,
  "layer_types": ${list("full_attention", 48)},
  "max_position_embeddings": 131072,
  "max_window_layers": 48,
  "model_type": "qwen2",
  "num_attention_heads": 40,
  "num_hidden_layers": 48,
  "num_key_value_heads": 8,
  "rms_norm_eps": 1e-05,
  "rope_scaling": null,
  "rope_theta": 1000000.0,
  "sliding_window": null,
  "tie_word_embeddings": false,
  "transformers_version": "4.57.6",
  "use_cache": true,
  "use_sliding_window": false,
  "vocab_size": 152064
}`,
  );
  for (const key of ["pretraining_tp", "mlp_bias", "attention_bias", "head_dim"]) {
    assert.ok(!(key in JSON.parse(json)), `Qwen2Config has no ${key}`);
  }
  assert.ok(!json.includes("128000") && !json.includes("500000"));
});

Deno.test("hf model config: small Qwen2.5 ties its embeddings", () => {
  const cfg = JSON.parse(modelConfigJson(model("qwen2.5-0.5b"), V));
  assert.equal(cfg.tie_word_embeddings, true);
  assert.equal(cfg.max_window_layers, 21);
  assert.equal(JSON.parse(modelConfigJson(model("qwen2.5-7b"), V)).tie_word_embeddings, false);
});

Deno.test("hf model config: Llama-3.1-8B scales RoPE the llama3 way", () => {
  assert.equal(
    modelConfigJson(model("llama-3.1-8b"), V),
    `{
  "architectures": [
    "LlamaForCausalLM"
  ],
  "attention_bias": false,
  "attention_dropout": 0.0,
  "bos_token_id": 128000,
  "dtype": "bfloat16",
  "eos_token_id": 128001,
  "head_dim": 128,
  "hidden_act": "silu",
  "hidden_size": 4096,
  "initializer_range": 0.02,
  "intermediate_size": 14336,
  "max_position_embeddings": 131072,
  "mlp_bias": false,
  "model_type": "llama",
  "num_attention_heads": 32,
  "num_hidden_layers": 32,
  "num_key_value_heads": 8,
  "pretraining_tp": 1,
  "rms_norm_eps": 1e-05,
  "rope_scaling": {
    "factor": 8.0,
    "high_freq_factor": 4.0,
    "low_freq_factor": 1.0,
    "original_max_position_embeddings": 8192,
    "rope_type": "llama3"
  },
  "rope_theta": 500000.0,
  "tie_word_embeddings": false,
  "transformers_version": "4.57.6",
  "use_cache": true,
  "vocab_size": 128256
}`,
  );
});

Deno.test("hf model config: Llama-2-7b has SentencePiece ids and base-10k RoPE", () => {
  assert.equal(
    modelConfigJson(model("llama-2-7b"), V),
    `{
  "architectures": [
    "LlamaForCausalLM"
  ],
  "attention_bias": false,
  "attention_dropout": 0.0,
  "bos_token_id": 1,
  "dtype": "float16",
  "eos_token_id": 2,
  "head_dim": 128,
  "hidden_act": "silu",
  "hidden_size": 4096,
  "initializer_range": 0.02,
  "intermediate_size": 11008,
  "max_position_embeddings": 4096,
  "mlp_bias": false,
  "model_type": "llama",
  "num_attention_heads": 32,
  "num_hidden_layers": 32,
  "num_key_value_heads": 32,
  "pretraining_tp": 1,
  "rms_norm_eps": 1e-05,
  "rope_scaling": null,
  "rope_theta": 10000.0,
  "tie_word_embeddings": false,
  "transformers_version": "4.57.6",
  "use_cache": true,
  "vocab_size": 32000
}`,
  );
});

Deno.test("hf model config: GPT-2 keeps its own key names", () => {
  assert.equal(
    modelConfigJson(model("gpt2-124m"), V),
    `{
  "activation_function": "gelu_new",
  "architectures": [
    "GPT2LMHeadModel"
  ],
  "attn_pdrop": 0.1,
  "bos_token_id": 50256,
  "embd_pdrop": 0.1,
  "eos_token_id": 50256,
  "initializer_range": 0.02,
  "layer_norm_epsilon": 1e-05,
  "model_type": "gpt2",
  "n_ctx": 1024,
  "n_embd": 768,
  "n_head": 12,
  "n_inner": null,
  "n_layer": 12,
  "n_positions": 1024,
  "reorder_and_upcast_attn": false,
  "resid_pdrop": 0.1,
  "scale_attn_by_inverse_layer_idx": false,
  "scale_attn_weights": true,
  "summary_activation": null,
  "summary_first_dropout": 0.1,
  "summary_proj_to_labels": true,
  "summary_type": "cls_index",
  "summary_use_proj": true,
  "task_specific_params": {
    "text-generation": {
      "do_sample": true,
      "max_length": 50
    }
  },
  "transformers_version": "4.57.6",
  "use_cache": true,
  "vocab_size": 50257
}`,
  );
});

Deno.test("hf model config: family-specific fields", () => {
  const cfg = (id: string) => JSON.parse(modelConfigJson(model(id), V));
  const gemma = cfg("gemma-2-9b");
  assert.equal(gemma.query_pre_attn_scalar, 256);
  assert.equal(gemma.final_logit_softcapping, 30);
  assert.equal(gemma.layer_types[0], "sliding_attention");
  assert.equal(gemma.layer_types[1], "full_attention");
  assert.ok(!("tie_word_embeddings" in gemma));
  assert.equal(cfg("gemma-2-27b").query_pre_attn_scalar, 144);
  assert.equal(cfg("llama-3.2-1b").tie_word_embeddings, true);
  assert.equal(cfg("llama-3.2-1b").rope_scaling.factor, 32);
  assert.equal(cfg("mistral-7b").sliding_window, 4096);
  assert.equal(cfg("mixtral-8x22b").router_aux_loss_coef, 0.001);
  assert.equal(cfg("mixtral-8x7b").num_local_experts, 8);
  assert.equal(cfg("falcon-40b").new_decoder_architecture, true);
  assert.equal(cfg("falcon-7b").multi_query, true);
  assert.equal(cfg("bloom-560m").n_layer, 24);
  assert.equal(cfg("pythia-1.4b").rotary_pct, 0.25);
  assert.equal(cfg("olmo-7b").clip_qkv, null);
  assert.equal(cfg("deepseek-v2-lite").kv_lora_rank, 512);
  assert.equal(cfg("qwen1.5-moe-a2.7b").shared_expert_intermediate_size, 5632);
  assert.equal(cfg("olmoe-1b-7b").num_experts, 64);
  assert.equal(cfg("rubberduck-1b").model_type, "llama");
});

/** Whether every object in `v` (at any depth) lists its keys in sorted order. */
function keysSorted(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(keysSorted);
  if (v === null || typeof v !== "object") return true;
  const keys = Object.keys(v);
  const sorted = [...keys].sort();
  return keys.every((k, i) => k === sorted[i]) &&
    Object.values(v as Record<string, unknown>).every(keysSorted);
}

Deno.test("hf model config: every catalogue model gives sorted, valid JSON", () => {
  for (const m of modelsJson as ModelSpec[]) {
    const text = modelConfigJson(m, V);
    const cfg = JSON.parse(text);
    assert.ok(keysSorted(cfg), `${m.id}: keys not sorted`);
    assert.equal(cfg.model_type, hfModelType(m), m.id);
    assert.equal(cfg.transformers_version, V, m.id);
    assert.ok(Array.isArray(cfg.architectures) && cfg.architectures.length === 1, m.id);
    assert.ok(!("torch_dtype" in cfg), `${m.id}: 4.57 writes dtype`);
    // Python writes 1e-05 where JavaScript writes 0.00001, and pads exponents to two digits.
    assert.ok(!/: 0\.0000\d|e[-+]\d(?!\d)/.test(text), `${m.id}: not a Python float`);
  }
});

Deno.test("hf model config: before 4.56 the precision is torch_dtype", () => {
  const cfg = JSON.parse(modelConfigJson(model("llama-3-8b"), "4.46.3"));
  assert.equal(cfg.torch_dtype, "bfloat16");
  assert.ok(!("dtype" in cfg));
});

Deno.test("hf model config: floats print as Python's repr", () => {
  assert.equal(pyFloatRepr(0), "0.0");
  assert.equal(pyFloatRepr(1e-5), "1e-05");
  assert.equal(pyFloatRepr(1e-6), "1e-06");
  assert.equal(pyFloatRepr(0.0001), "0.0001");
  assert.equal(pyFloatRepr(0.02), "0.02");
  assert.equal(pyFloatRepr(500000), "500000.0");
  assert.equal(pyFloatRepr(1e16), "1e+16");
  assert.equal(pyFloatRepr(2.5e-7), "2.5e-07");
});

Deno.test("hf model config: modelConfig wraps it after the class name", () => {
  const m = model("qwen2.5-14b");
  const text = modelConfig({ model: m }, V);
  assert.equal(text, `Model config Qwen2Config ${modelConfigJson(m, V)}\n`);
});

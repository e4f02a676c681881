/**
 * Megatron's argument dump: every argument of the release with its default (data/
 * megatron_args.json), the run's own flags and what `validate_args` derives, each line padded
 * with dots to column 52 and sorted case-blind, as `_print_args` prints them.
 */
import { configNumber } from "./hf_model_config.ts";
import argsJson from "../../data/megatron_args.json" with { type: "json" };
import type { RunConfig } from "../sim/run_config.ts";
import { initialLossScale } from "../sim/phases/train_state.ts";
import { pyFloat, pyStr } from "../format/python_repr.ts";
import type { MegatronArch } from "./megatron_model.ts";
import type { MegatronProfile } from "./megatron_profile.ts";

type Value = string | number | boolean | null;

/** Python's `str()` of an argument value. */
function py(v: Value): string {
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  return String(v);
}

/** The release's defaults: 0.9.0's table, with the later release's changes on top. */
export function releaseDefaults(p: MegatronProfile): Map<string, string> {
  const out = new Map<string, string>(argsJson["0.9.0"] as [string, string][]);
  if (!p.later) return out;
  for (const name of argsJson["0.12.0"].unset) out.delete(name);
  for (const [name, value] of argsJson["0.12.0"].set as [string, string][]) out.set(name, value);
  return out;
}

/** The flags a Llama- or GPT-style pretraining script passes for this model. */
function modelArgs(cfg: RunConfig, a: MegatronArch): Record<string, Value> {
  const m = cfg.model, gqa = m.kvHeads !== m.heads;
  const dropout = a.swiglu ? "0.0" : "0.1";
  return {
    num_layers: m.layers,
    encoder_num_layers: m.layers,
    hidden_size: m.hidden,
    ffn_hidden_size: m.ffn,
    num_attention_heads: m.heads,
    kv_channels: a.kvChannels,
    group_query_attention: gqa,
    num_query_groups: gqa ? m.kvHeads : 1,
    seq_length: cfg.seqLen,
    encoder_seq_length: cfg.seqLen,
    max_position_embeddings: m.ctx,
    swiglu: a.swiglu,
    normalization: a.rmsnorm ? "RMSNorm" : "LayerNorm",
    add_bias_linear: a.bias,
    add_qkv_bias: a.qkvBias,
    untie_embeddings_and_output_weights: a.untied,
    position_embedding_type: a.rope ? "rope" : "learned_absolute",
    // The RoPE base the model was trained with (Llama 3: 500,000; Qwen2: 1,000,000).
    rotary_base: configNumber(m, "rope_theta") ?? 10000,
    attention_dropout: dropout,
    hidden_dropout: dropout,
    multi_latent_attention: a.mla,
    ...(a.mla
      ? { kv_lora_rank: 512, qk_head_dim: 128, qk_pos_emb_head_dim: 64, v_head_dim: 128 }
      : {}),
    ...(m.moe ? moeArgs(cfg, a) : {}),
  };
}

function moeArgs(cfg: RunConfig, a: MegatronArch): Record<string, Value> {
  const e = cfg.model.moe!;
  const freq = e.denseLayers > 0
    ? `[${
      Array.from({ length: cfg.model.layers }, (_, i) => (i < e.denseLayers ? 0 : 1))
        .join(", ")
    }]`
    : 1;
  return {
    num_experts: e.experts,
    moe_router_topk: e.topK,
    moe_aux_loss_coeff: "0.01",
    moe_grouped_gemm: true,
    moe_token_dispatcher_type: "alltoall",
    expert_model_parallel_size: a.ep,
    moe_ffn_hidden_size: e.expertFfn,
    moe_shared_expert_intermediate_size: e.sharedFfn > 0 ? e.sharedFfn : null,
    moe_layer_freq: freq,
  };
}

/** Parallelism, precision and the optimizer. */
function trainingArgs(cfg: RunConfig, p: MegatronProfile): Record<string, Value> {
  const plan = cfg.plan, fp16 = cfg.precision === "fp16", wsd = cfg.schedule === "wsd";
  return {
    tensor_model_parallel_size: plan.tp,
    pipeline_model_parallel_size: plan.pp,
    transformer_pipeline_model_parallel_size: plan.pp,
    sequence_parallel: plan.tp > 1,
    data_parallel_size: plan.dp,
    world_size: cfg.worldSize,
    micro_batch_size: plan.microBatch,
    global_batch_size: cfg.globalBatch,
    bf16: !fp16,
    fp16,
    params_dtype: fp16 ? "torch.float16" : "torch.bfloat16",
    accumulate_allreduce_grads_in_fp32: !fp16,
    check_for_nan_in_loss_and_grad: !fp16,
    use_distributed_optimizer: p.distributedOptimizer,
    use_torch_fsdp2: p.fsdp,
    overlap_grad_reduce: p.overlap,
    overlap_param_gather: p.overlap && p.distributedOptimizer,
    recompute_activations: plan.recompute === "selective",
    recompute_granularity: plan.recompute === "none" ? null : plan.recompute,
    recompute_method: plan.recompute === "full" ? "uniform" : null,
    recompute_num_layers: plan.recompute === "full" ? 1 : null,
    lr: pyFloat(cfg.lrMax),
    min_lr: pyFloat(cfg.lrMin),
    lr_decay_style: wsd ? "WSD" : "cosine",
    lr_decay_iters: cfg.totalSteps,
    lr_warmup_iters: cfg.warmupSteps,
    lr_wsd_decay_iters: wsd ? Math.round(0.2 * (cfg.totalSteps - cfg.warmupSteps)) : null,
    lr_wsd_decay_style: wsd ? "linear" : "exponential",
    train_iters: cfg.totalSteps,
    weight_decay: "0.1",
    adam_beta2: "0.95",
  };
}

/** Data, logging, evaluation and checkpoints. */
function jobArgs(cfg: RunConfig, p: MegatronProfile): Record<string, Value> {
  const gpt2 = cfg.model.family === "gpt2";
  const resumeDir = p.pretrained === null || cfg.resumeStep > 0 ? cfg.outputDir : p.pretrained;
  return {
    data_path: `[${pyStr(p.dataPrefix)}]`,
    split: cfg.task === "pretrain" ? "969,30,1" : "98,2,0",
    tokenizer_type: gpt2 ? "GPT2BPETokenizer" : "HuggingFaceTokenizer",
    tokenizer_model: gpt2 ? null : cfg.model.tokenizer,
    vocab_file: gpt2 ? `${p.repo}/data/gpt2-vocab.json` : null,
    merge_file: gpt2 ? `${p.repo}/data/gpt2-merges.txt` : null,
    log_interval: p.logInterval,
    log_throughput: true,
    log_num_zeros_in_grad: p.logNumZeros,
    log_params_norm: p.logParamsNorm,
    timing_log_level: p.timingLevel,
    tensorboard_dir: p.tensorboard,
    log_timers_to_tensorboard: p.tensorboard !== null,
    log_validation_ppl_to_tensorboard: p.tensorboard !== null,
    eval_interval: cfg.stepsPerEpoch,
    eval_iters: p.evalIters,
    save: cfg.outputDir,
    save_interval: cfg.ckptInterval,
    load: resumeDir,
    finetune: p.pretrained !== null && cfg.resumeStep === 0,
    exit_signal_handler: true,
    distributed_timeout_minutes: 30,
  };
}

/** What `validate_args` sets from the rest (non-interleaved schedule, no biases, ...). */
function derivedArgs(cfg: RunConfig, a: MegatronArch): Record<string, Value> {
  return {
    overlap_p2p_comm: false,
    align_param_gather: false,
    // Sequence parallelism (TP > 1) turns it off.
    async_tensor_model_parallel_allreduce: cfg.plan.tp === 1,
    apply_rope_fusion: a.rope,
    bias_gelu_fusion: a.bias,
    dataloader_type: "single",
    start_weight_decay: "0.1",
    end_weight_decay: "0.1",
    // Grouped GEMM for experts runs in bf16 only.
    moe_grouped_gemm: cfg.model.moe !== undefined && cfg.precision !== "fp16",
  };
}

/** Every argument's value as `str()` shows it, by name. */
export function megatronArgs(
  cfg: RunConfig,
  a: MegatronArch,
  p: MegatronProfile,
): Map<string, string> {
  const out = releaseDefaults(p);
  const set = {
    ...modelArgs(cfg, a),
    ...trainingArgs(cfg, p),
    ...jobArgs(cfg, p),
    ...derivedArgs(cfg, a),
    // The scaler's start the simulation runs with (65536 when the job passes it, as many do).
    initial_loss_scale: initialLossScale(cfg),
  };
  for (const [name, value] of Object.entries(set)) {
    // Only arguments the release knows: 0.9.0 has no shared experts or MLA, for one.
    if (out.has(name)) out.set(name, py(value));
  }
  return out;
}

/** The dotted dump between its two rules, sorted as Python sorts the lower-cased lines. */
export function argumentDump(args: Map<string, string>): string[] {
  const lines = [...args].map(([k, v]) => `  ${k} ${".".repeat(Math.max(0, 48 - k.length))} ${v}`);
  lines.sort((x, y) => {
    const a = x.toLowerCase(), b = y.toLowerCase();
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return [
    "------------------------ arguments ------------------------",
    ...lines,
    "-------------------- end of arguments ---------------------",
  ];
}

/**
 * The job script's launch as `set -x` shows it: `srun` starting torchrun on every node with
 * `--tee 3`, running `pretrain_gpt.py` with the flags whose values the argument dump shows.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { megatronTees } from "./megatron_ranks.ts";
import type { MegatronArch } from "./megatron_model.ts";
import type { MegatronProfile } from "./megatron_profile.ts";
import { megatronArgs } from "./megatron_args.ts";

/** Arguments Megatron derives itself: they never appear on the command line. */
const DERIVED = new Set([
  "world_size",
  "data_parallel_size",
  "params_dtype",
  "encoder_num_layers",
  "encoder_seq_length",
  "transformer_pipeline_model_parallel_size",
  "kv_channels",
  "accumulate_allreduce_grads_in_fp32",
  "check_for_nan_in_loss_and_grad",
  "lr_wsd_decay_style",
  "overlap_p2p_comm",
  "align_param_gather",
  "async_tensor_model_parallel_allreduce",
  "bias_gelu_fusion",
  "apply_rope_fusion",
  "dataloader_type",
  "start_weight_decay",
  "end_weight_decay",
]);

/** The order a launch script groups its flags in: model, parallelism, training, data, logging. */
const SCRIPT_ORDER = [
  "num_layers",
  "hidden_size",
  "ffn_hidden_size",
  "num_attention_heads",
  "group_query_attention",
  "num_query_groups",
  "multi_latent_attention",
  "kv_lora_rank",
  "qk_head_dim",
  "qk_pos_emb_head_dim",
  "v_head_dim",
  "seq_length",
  "max_position_embeddings",
  "position_embedding_type",
  "rotary_base",
  "normalization",
  "swiglu",
  "untie_embeddings_and_output_weights",
  "add_bias_linear",
  "add_qkv_bias",
  "attention_dropout",
  "hidden_dropout",
  "num_experts",
  "moe_ffn_hidden_size",
  "moe_shared_expert_intermediate_size",
  "moe_layer_freq",
  "moe_router_topk",
  "moe_aux_loss_coeff",
  "moe_grouped_gemm",
  "moe_token_dispatcher_type",
  "tensor_model_parallel_size",
  "pipeline_model_parallel_size",
  "expert_model_parallel_size",
  "sequence_parallel",
  "use_distributed_optimizer",
  "use_torch_fsdp2",
  "overlap_grad_reduce",
  "overlap_param_gather",
  "recompute_activations",
  "recompute_granularity",
  "recompute_method",
  "recompute_num_layers",
  "micro_batch_size",
  "global_batch_size",
  "train_iters",
  "lr",
  "min_lr",
  "lr_decay_style",
  "lr_decay_iters",
  "lr_warmup_iters",
  "lr_wsd_decay_iters",
  "weight_decay",
  "adam_beta2",
  "bf16",
  "fp16",
  "data_path",
  "split",
  "tokenizer_type",
  "tokenizer_model",
  "vocab_file",
  "merge_file",
];

/** Flags whose default is true are switched off with their own `--no-`/`--disable-` flag. */
const NEGATED: Record<string, string> = {
  add_bias_linear: "--disable-bias-linear",
};

/** A value as the script passes it: a data path bare, a layer pattern as a Python expression. */
function shellValue(value: string): string {
  const path = /^\['(.*)'\]$/.exec(value);
  if (path) return path[1];
  if (!value.startsWith("[")) return value;
  const layers = value.slice(1, -1).split(", ");
  const dense = layers.filter((l) => l === "0").length;
  return `'([0]*${dense}+[1]*${layers.length - dense})'`;
}

/** The `--flag value` pairs that differ from the release's defaults, in the dump's order. */
export function commandFlags(
  cfg: RunConfig,
  a: MegatronArch,
  p: MegatronProfile,
  defaults: Map<string, string>,
): string[] {
  const out: string[] = [];
  const rank = (name: string) => {
    const i = SCRIPT_ORDER.indexOf(name);
    return i < 0 ? SCRIPT_ORDER.length : i;
  };
  const args = [...megatronArgs(cfg, a, p)].sort((x, y) => rank(x[0]) - rank(y[0]));
  for (const [name, value] of args) {
    if (DERIVED.has(name) || defaults.get(name) === value) continue;
    // `--recompute-activations` alone asks for selective recomputation.
    if (name === "recompute_granularity" && value === "selective") continue;
    const flag = `--${name.replaceAll("_", "-")}`;
    if (value === "True") out.push(flag);
    else if (value === "False") out.push(NEGATED[name] ?? `--no-${name.replaceAll("_", "-")}`);
    else if (value !== "None") out.push(`${flag} ${shellValue(value)}`);
  }
  return out;
}

/** `+ srun … torchrun … pretrain_gpt.py …`, one line as bash traces it. */
export function launchLine(
  cfg: RunConfig,
  a: MegatronArch,
  p: MegatronProfile,
  defaults: Map<string, string>,
): string {
  const c = cfg.cluster;
  return `+ srun --nodes=${cfg.nodes} --ntasks-per-node=1 torchrun --nnodes ${cfg.nodes} ` +
    `--nproc_per_node ${cfg.gpusPerNode} --rdzv_id ${c.jobId} --rdzv_backend c10d ` +
    `--rdzv_endpoint ${c.masterAddr}:${c.masterPort} ${megatronTees(cfg) ? "--tee 3 " : ""}` +
    `${p.repo}/pretrain_gpt.py ` +
    commandFlags(cfg, a, p, defaults).join(" ");
}

/**
 * `TrainingArguments.__str__` of transformers 4.57.6: every field, sorted, one per line, with the
 * run's own values over the library's defaults (tokens masked as `<HUB_TOKEN>`, as it does).
 */
import type { RunConfig } from "../sim/run_config.ts";
import { hostName } from "../sim/names.ts";
import { pyFloat } from "../format/python_repr.ts";
import type { HfProfile } from "./hf_profile.ts";

/** The library's defaults, as the dump prints them. */
const DEFAULTS: ReadonlyArray<readonly [string, string]> = [
  ["_n_gpu", "0"],
  [
    "accelerator_config",
    "{'split_batches': False, 'dispatch_batches': None, 'even_batches': True, 'use_seedable_sampler': True, 'non_blocking': False, 'gradient_accumulation_kwargs': None, 'use_configured_state': False}",
  ],
  ["adafactor", "False"],
  ["adam_beta1", "0.9"],
  ["adam_beta2", "0.999"],
  ["adam_epsilon", "1e-08"],
  ["auto_find_batch_size", "False"],
  ["average_tokens_across_devices", "True"],
  ["batch_eval_metrics", "False"],
  ["bf16", "True"],
  ["bf16_full_eval", "False"],
  ["data_seed", "None"],
  ["dataloader_drop_last", "False"],
  ["dataloader_num_workers", "0"],
  ["dataloader_persistent_workers", "False"],
  ["dataloader_pin_memory", "True"],
  ["dataloader_prefetch_factor", "None"],
  ["ddp_backend", "None"],
  ["ddp_broadcast_buffers", "None"],
  ["ddp_bucket_cap_mb", "None"],
  ["ddp_find_unused_parameters", "None"],
  ["ddp_timeout", "1800"],
  ["debug", "[]"],
  ["deepspeed", "None"],
  ["disable_tqdm", "False"],
  ["do_eval", "True"],
  ["do_predict", "False"],
  ["do_train", "False"],
  ["eval_accumulation_steps", "None"],
  ["eval_delay", "0"],
  ["eval_do_concat_batches", "True"],
  ["eval_on_start", "False"],
  ["eval_steps", "None"],
  ["eval_strategy", "IntervalStrategy.EPOCH"],
  ["eval_use_gather_object", "False"],
  ["fp16", "False"],
  ["fp16_backend", "auto"],
  ["fp16_full_eval", "False"],
  ["fp16_opt_level", "O1"],
  ["fsdp", "[]"],
  [
    "fsdp_config",
    "{'min_num_params': 0, 'xla': False, 'xla_fsdp_v2': False, 'xla_fsdp_grad_ckpt': False}",
  ],
  ["fsdp_min_num_params", "0"],
  ["fsdp_transformer_layer_cls_to_wrap", "None"],
  ["full_determinism", "False"],
  ["gradient_accumulation_steps", "8"],
  ["gradient_checkpointing", "False"],
  ["gradient_checkpointing_kwargs", "None"],
  ["greater_is_better", "None"],
  ["group_by_length", "False"],
  ["half_precision_backend", "auto"],
  ["hub_always_push", "False"],
  ["hub_model_id", "None"],
  ["hub_private_repo", "None"],
  ["hub_revision", "None"],
  ["hub_strategy", "HubStrategy.EVERY_SAVE"],
  ["hub_token", "<HUB_TOKEN>"],
  ["ignore_data_skip", "False"],
  ["include_for_metrics", "[]"],
  ["include_inputs_for_metrics", "False"],
  ["include_num_input_tokens_seen", "no"],
  ["include_tokens_per_second", "False"],
  ["jit_mode_eval", "False"],
  ["label_names", "None"],
  ["label_smoothing_factor", "0.0"],
  ["learning_rate", "2e-05"],
  ["length_column_name", "length"],
  ["liger_kernel_config", "None"],
  ["load_best_model_at_end", "False"],
  ["local_rank", "0"],
  ["log_level", "passive"],
  ["log_level_replica", "warning"],
  ["log_on_each_node", "True"],
  ["logging_dir", "/out/run/runs/Dec07_16-37-27_vm"],
  ["logging_first_step", "False"],
  ["logging_nan_inf_filter", "True"],
  ["logging_steps", "10"],
  ["logging_strategy", "IntervalStrategy.STEPS"],
  ["lr_scheduler_kwargs", "None"],
  ["lr_scheduler_type", "SchedulerType.COSINE"],
  ["max_grad_norm", "1.0"],
  ["max_steps", "-1"],
  ["metric_for_best_model", "None"],
  ["mp_parameters", ""],
  ["neftune_noise_alpha", "None"],
  ["no_cuda", "False"],
  ["num_train_epochs", "3"],
  ["optim", "OptimizerNames.ADAMW_TORCH_FUSED"],
  ["optim_args", "None"],
  ["optim_target_modules", "None"],
  ["output_dir", "/out/run"],
  ["overwrite_output_dir", "False"],
  ["parallelism_config", "None"],
  ["past_index", "-1"],
  ["per_device_eval_batch_size", "8"],
  ["per_device_train_batch_size", "4"],
  ["prediction_loss_only", "False"],
  ["project", "huggingface"],
  ["push_to_hub", "False"],
  ["push_to_hub_model_id", "None"],
  ["push_to_hub_organization", "None"],
  ["push_to_hub_token", "<PUSH_TO_HUB_TOKEN>"],
  ["ray_scope", "last"],
  ["remove_unused_columns", "True"],
  ["report_to", "['wandb']"],
  ["restore_callback_states_from_checkpoint", "False"],
  ["resume_from_checkpoint", "None"],
  ["run_name", "None"],
  ["save_on_each_node", "False"],
  ["save_only_model", "False"],
  ["save_safetensors", "True"],
  ["save_steps", "500"],
  ["save_strategy", "SaveStrategy.STEPS"],
  ["save_total_limit", "None"],
  ["seed", "42"],
  ["skip_memory_metrics", "True"],
  ["tf32", "None"],
  ["torch_compile", "False"],
  ["torch_compile_backend", "None"],
  ["torch_compile_mode", "None"],
  ["torch_empty_cache_steps", "None"],
  ["torchdynamo", "None"],
  ["tpu_metrics_debug", "False"],
  ["tpu_num_cores", "None"],
  ["trackio_space_id", "trackio"],
  ["use_cpu", "False"],
  ["use_legacy_prediction_loop", "False"],
  ["use_liger_kernel", "False"],
  ["use_mps_device", "False"],
  ["warmup_ratio", "0.0"],
  ["warmup_steps", "30"],
  ["weight_decay", "0.0"],
];

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `logging_dir`'s default: `<output_dir>/runs/Dec07_16-32-13_<host>` at the arguments' parse. */
export function loggingDir(cfg: RunConfig, simMs: number): string {
  const d = new Date(simMs);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${cfg.outputDir}/runs/${MONTHS[d.getUTCMonth()]}${two(d.getUTCDate())}_` +
    `${two(d.getUTCHours())}-${two(d.getUTCMinutes())}-${two(d.getUTCSeconds())}_` +
    hostName(cfg.cluster, 0);
}

function strategyFields(cfg: RunConfig): Record<string, string> {
  const s = cfg.plan.strategy;
  if (s === "fsdp") {
    return {
      fsdp: "[<FSDPOption.FULL_SHARD: 'full_shard'>, <FSDPOption.AUTO_WRAP: 'auto_wrap'>]",
    };
  }
  if (s.startsWith("zero")) return { deepspeed: `ds_config_zero${s.slice(4)}.json` };
  return {};
}

/** The dump's lines: `TrainingArguments(`, `key=value,` for each field, `)`. */
export function trainingArguments(cfg: RunConfig, prof: HfProfile, simMs: number): string[] {
  const b = (v: boolean) => (v ? "True" : "False");
  const own: Record<string, string> = {
    _n_gpu: "1",
    bf16: b(cfg.precision !== "fp16"),
    ddp_timeout: "600",
    do_train: "True",
    eval_strategy: "IntervalStrategy.EPOCH",
    fp16: b(cfg.precision === "fp16"),
    gradient_accumulation_steps: String(cfg.gradAccum),
    gradient_checkpointing: b(cfg.plan.recompute !== "none"),
    learning_rate: pyFloat(cfg.lrMax),
    logging_dir: loggingDir(cfg, simMs),
    logging_steps: String(cfg.logInterval),
    lr_scheduler_type: "SchedulerType.COSINE",
    num_train_epochs: pyFloat(cfg.epochs),
    output_dir: cfg.outputDir,
    per_device_eval_batch_size: String(prof.evalBatch),
    per_device_train_batch_size: String(cfg.plan.microBatch),
    report_to: prof.reportTo === "none" ? "[]" : `['${prof.reportTo}']`,
    save_steps: String(cfg.ckptInterval),
    save_total_limit: prof.saveTotalLimit === null ? "None" : String(prof.saveTotalLimit),
    seed: String(prof.seed),
    warmup_ratio: pyFloat(cfg.warmupRatio),
    warmup_steps: String(cfg.warmupRatio > 0 ? 0 : cfg.warmupSteps),
    weight_decay: prof.weightDecay,
    ...strategyFields(cfg),
  };
  return [
    "TrainingArguments(",
    ...DEFAULTS.map(([k, v]) => `${k}=${own[k] ?? v},`),
    ")",
  ];
}

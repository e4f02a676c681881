/**
 * DeepSpeedConfig.print(): every attribute of the engine's configuration in sorted order, the
 * key dot-padded to 29 columns, values as Python prints them (reprs of pydantic models, JSON
 * blocks from DeepSpeed's encoder without log prefix), then the user's JSON as it was given.
 * Keys and defaults are those of the release the style follows.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { hostPrefix, nodeRecord } from "./deepspeed_log.ts";
import type { DsState } from "./deepspeed_state.ts";
import type { DsRelease } from "./deepspeed_release.ts";
import { dsStage } from "./deepspeed_script.ts";

/** A JSON value for DeepSpeed's encoder; numbers carry whether Python holds a float. */
export type DsJson = string | boolean | null | { n: number; float?: boolean } | DsObject;
/** An ordered JSON object. */
export type DsObject = Array<[string, DsJson]>;

/** Python's `f"{x:e}"`: `1.024000e+03`. */
function sci(x: number): string {
  const [m, e] = x.toExponential(6).split("e");
  const exp = Number(e);
  return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** DeepSpeed's ScientificNotationEncoder: numbers above 1e3 in `%e`, `, ` before each newline. */
export function encodeJson(v: DsJson, level = 0): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") return JSON.stringify(v);
  if (!Array.isArray(v)) {
    if (v.n > 1e3) return v.n === Infinity ? "inf" : sci(v.n);
    return v.float && Number.isInteger(v.n) ? `${v.n}.0` : String(v.n);
  }
  const pad = " ".repeat((level + 1) * 4);
  const items = v.map(([k, x]) => `\n${pad}"${k}": ${encodeJson(x, level + 1)}`);
  return `{${items.join(", ")}\n${" ".repeat(level * 4)}}`;
}

const n = (x: number, float = false): DsJson => ({ n: x, float });

/** The user's DeepSpeed config as the script builds it. */
export function userConfig(cfg: RunConfig, st: DsState, stepsPerPrint: number): DsObject {
  const stage = dsStage(cfg);
  const zero: DsObject = [["stage", n(stage)], ["overlap_comm", true], [
    "contiguous_gradients",
    true,
  ]];
  if (stage === 3) zero.push(["stage3_gather_16bit_weights_on_model_save", true]);
  const fp16: DsObject = cfg.precision === "fp16"
    ? [
      ["enabled", true],
      ["loss_scale", n(0)],
      ["loss_scale_window", n(1000)],
      [
        "initial_scale_power",
        n(16),
      ],
      ["hysteresis", n(2)],
      ["min_loss_scale", n(1)],
    ]
    : [["enabled", false]];
  return [
    ["train_batch_size", n(cfg.globalBatch)],
    ["train_micro_batch_size_per_gpu", n(cfg.plan.microBatch)],
    ["gradient_accumulation_steps", n(cfg.gradAccum)],
    ["steps_per_print", n(stepsPerPrint)],
    ["zero_optimization", zero],
    ["fp16", fp16],
    ["bf16", [["enabled", cfg.precision !== "fp16"]]],
    ["gradient_clipping", n(1, true)],
    ["prescale_gradients", false],
    ["wall_clock_breakdown", st.traits.wallClock],
  ];
}

const ACTIVATION =
  `{\n    "partition_activations": false, \n    "contiguous_memory_optimization": false, \n    "cpu_checkpointing": false, \n    "number_checkpoints": null, \n    "synchronize_checkpoint_boundary": false, \n    "profile": false\n}`;
const AUTOTUNING =
  `{\n    "enabled": false, \n    "start_step": null, \n    "end_step": null, \n    "metric_path": null, \n    "arg_mappings": null, \n    "metric": "throughput", \n    "model_info": null, \n    "results_dir": "autotuning_results", \n    "exps_dir": "autotuning_exps", \n    "overwrite": true, \n    "fast": true, \n    "start_profile_step": 3, \n    "end_profile_step": 5, \n    "tuner_type": "gridsearch", \n    "tuner_early_stopping": 5, \n    "tuner_num_trials": 50, \n    "model_info_path": null, \n    "mp_size": 1, \n    "max_train_batch_size": null, \n    "min_train_batch_size": 1, \n    "max_train_micro_batch_size_per_gpu": 1.024000e+03, \n    "min_train_micro_batch_size_per_gpu": 1, \n    "num_tuning_micro_batch_sizes": 3\n}`;
const FLOPS =
  `{\n    "enabled": false, \n    "recompute_fwd_factor": 0.0, \n    "profile_step": 1, \n    "module_depth": -1, \n    "top_modules": 1, \n    "detailed": true, \n    "output_file": null\n}`;
const NEBULA =
  `{\n    "enabled": false, \n    "persistent_storage_path": null, \n    "persistent_time_interval": 100, \n    "num_of_version_in_retention": 2, \n    "enable_nebula_load": true, \n    "load_path": null\n}`;
const COMPRESSION =
  "{'weight_quantization': {'shared_parameters': {'enabled': False, 'quantizer_kernel': False, 'schedule_offset': 0, 'quantize_groups': 1, 'quantize_verbose': False, 'quantization_type': 'symmetric', 'quantize_weight_in_forward': False, 'rounding': 'nearest', 'fp16_mixed_quantize': False, 'quantize_change_ratio': 0.001}, 'different_groups': {}}, 'activation_quantization': {'shared_parameters': {'enabled': False, 'quantization_type': 'symmetric', 'range_calibration': 'dynamic', 'schedule_offset': 1000}, 'different_groups': {}}, 'sparse_pruning': {'shared_parameters': {'enabled': False, 'method': 'l1', 'schedule_offset': 1000}, 'different_groups': {}}, 'row_pruning': {'shared_parameters': {'enabled': False, 'method': 'l1', 'schedule_offset': 1000}, 'different_groups': {}}, 'head_pruning': {'shared_parameters': {'enabled': False, 'method': 'topk', 'schedule_offset': 1000}, 'different_groups': {}}, 'channel_pruning': {'shared_parameters': {'enabled': False, 'method': 'l1', 'schedule_offset': 1000}, 'different_groups': {}}, 'layer_reduction': {'enabled': False}}";
const DATA_EFFICIENCY =
  "{'enabled': False, 'seed': 1234, 'data_sampling': {'enabled': False, 'num_epochs': 1000, 'num_workers': 0, 'pin_memory': False, 'curriculum_learning': {'enabled': False}, 'dynamic_batching': {'enabled': False, 'lr_scaling_method': 'linear', 'min_batch_size': 1, 'max_batch_size': None, 'sequence_picking_order': 'dataloader', 'verbose': False}}, 'data_routing': {'enabled': False, 'random_ltd': {'enabled': False, 'layer_token_lr_schedule': {'enabled': False}}}}";
const COMPILE =
  "deepcompile=False free_activation=False offload_activation=False offload_opt_states=False double_buffer=True symmetric_memory=False debug_log=False offload_parameters=False sync_before_reduce=False sync_after_reduce=False sync_before_allgather=False sync_after_allgather=False";
/** Each monitor's repr, in `DeepSpeedMonitorConfig`'s fields. */
const MONITORS: Record<string, string> = {
  tensorboard: "TensorBoardConfig(enabled=False, output_path='', job_name='DeepSpeedJobName')",
  comet:
    "CometConfig(enabled=False, samples_log_interval=100, project=None, workspace=None, api_key=None, experiment_name=None, experiment_key=None, online=None, mode=None)",
  wandb: "WandbConfig(enabled=False, group=None, team=None, project='deepspeed')",
  csv_monitor: "CSVConfig(enabled=False, output_path='', job_name='DeepSpeedJobName')",
};
const TENSOR_PARALLEL =
  "dtype=torch.float16 autotp_size=0 tp_overlap_comm=False tensor_parallel=TPConfig(tp_size=1, tp_grain_size=1, mpu=None, tp_group=None) injection_policy_tuple=None keep_module_on_host=False replace_with_kernel_inject=False";

/** `DeepSpeedMonitorConfig`'s repr: every monitor the release has, none enabled. */
export function monitorRepr(release: DsRelease): string {
  return release.monitorFields.map((k) => `${k}=${MONITORS[k]}`).join(" ");
}

/**
 * The pydantic repr of the ZeRO section: the release's fields in declaration order, the user's
 * values over the defaults (pydantic v1 releases keep `pp_int`'s comma form and `sys.maxsize`).
 */
export function zeroRepr(release: DsRelease, stage: number): string {
  const user: Record<string, string> = {
    stage: String(stage),
    contiguous_gradients: "True",
    overlap_comm: "True",
    gather_16bit_weights_on_model_save: stage === 3 ? "True" : "False",
  };
  return release.zeroConfigFields.map(([k, v]) => `${k}=${user[k] ?? v}`).join(" ");
}

/** Every attribute of the run's release's engine config with its printed value, sorted. */
export function configEntries(
  cfg: RunConfig,
  st: DsState,
  stepsPerPrint: number,
): Array<[string, string]> {
  const fp16 = cfg.precision === "fp16",
    stage = dsStage(cfg),
    b = (x: boolean) => (x ? "True" : "False");
  const lossArgs =
    "{'init_scale': 65536, 'scale_window': 1000, 'delayed_shift': 2, 'consecutive_hysteresis': False, 'min_scale': 1}";
  // The newest modelled release's attributes; older releases lack some of them.
  const all: Array<[string, string]> = [
    ["activation_checkpointing_config", ACTIVATION],
    [
      "aio_config",
      "{'block_size': 1048576, 'queue_depth': 8, 'intra_op_parallelism': 1, 'single_submit': False, 'overlap_events': True, 'use_gds': False}",
    ],
    ["amp_enabled", "False"],
    ["amp_params", "False"],
    ["autotuning_config", AUTOTUNING],
    ["bfloat16_enabled", b(!fp16)],
    ["bfloat16_immediate_grad_update", b(!fp16)],
    ["checkpoint_parallel_write_pipeline", "False"],
    ["checkpoint_tag_validation_enabled", "True"],
    ["checkpoint_tag_validation_fail", "False"],
    [
      "comms_config",
      `<deepspeed.comm.config.DeepSpeedCommsConfig object at ${st.traits.commsAddr}>`,
    ],
    ["communication_data_type", "None"],
    ["compile_config", COMPILE],
    ["compression_config", COMPRESSION],
    ["curriculum_enabled_legacy", "False"],
    ["curriculum_params_legacy", "False"],
    ["data_efficiency_config", DATA_EFFICIENCY],
    ["data_efficiency_enabled", "False"],
    ["dataloader_drop_last", "False"],
    ["disable_allgather", "False"],
    ["dump_state", "False"],
    ["dynamic_loss_scale_args", fp16 ? lossArgs : "None"],
    ["eigenvalue_enabled", "False"],
    ["eigenvalue_gas_boundary_resolution", "1"],
    ["eigenvalue_layer_name", "bert.encoder.layer"],
    ["eigenvalue_layer_num", "0"],
    ["eigenvalue_max_iter", "100"],
    ["eigenvalue_stability", "1e-06"],
    ["eigenvalue_tol", "0.01"],
    ["eigenvalue_verbose", "False"],
    ["elasticity_enabled", "False"],
    ["flops_profiler_config", FLOPS],
    ["fp16_auto_cast", fp16 ? "False" : "None"],
    ["fp16_enabled", b(fp16)],
    ["fp16_master_weights_and_gradients", "False"],
    ["global_rank", "0"],
    ["grad_accum_dtype", "None"],
    ["gradient_accumulation_steps", String(cfg.gradAccum)],
    ["gradient_clipping", "1.0"],
    ["gradient_predivide_factor", "1.0"],
    ["graph_harvesting", "False"],
    [
      "hybrid_engine",
      "enabled=False max_out_tokens=512 inference_tp_size=1 release_inference_cache=False pin_parameters=True tp_gather_partition_size=8",
    ],
    ["initial_dynamic_scale", fp16 ? "65536" : "1"],
    ["load_universal_checkpoint", "False"],
    ["loss_scale", fp16 ? "0" : "1.0"],
    ["memory_breakdown", "False"],
    ["mics_hierarchial_params_gather", "False"],
    ["mics_shard_size", "-1"],
    ["monitor_config", monitorRepr(st.release)],
    ["nebula_config", NEBULA],
    ["optimizer_legacy_fusion", "False"],
    ["optimizer_name", "None"],
    ["optimizer_params", "None"],
    [
      "pipeline",
      "{'stages': 'auto', 'partition': 'best', 'seed_layers': False, 'activation_checkpoint_interval': 0, 'pipe_partitioned': True, 'grad_partitioned': True}",
    ],
    ["pld_enabled", "False"],
    ["pld_params", "False"],
    ["prescale_gradients", "False"],
    ["scheduler_name", "None"],
    ["scheduler_params", "None"],
    ["seq_parallel_communication_data_type", "torch.float32"],
    ["sparse_attention", "None"],
    ["sparse_gradients_enabled", "False"],
    ["steps_per_print", String(stepsPerPrint)],
    ["tensor_parallel_config", TENSOR_PARALLEL],
    ["timers_config", "enabled=True synchronized=True"],
    ["train_batch_size", String(cfg.globalBatch)],
    ["train_micro_batch_size_per_gpu", String(cfg.plan.microBatch)],
    ["use_data_before_expert_parallel_", "False"],
    ["use_node_local_storage", "False"],
    ["wall_clock_breakdown", b(st.traits.wallClock)],
    ["weight_quantization_config", "None"],
    ["world_size", String(cfg.worldSize)],
    ["zero_allow_untested_optimizer", "False"],
    ["zero_config", zeroRepr(st.release, stage)],
    ["zero_enabled", "True"],
    ["zero_force_ds_cpu_optimizer", "True"],
    ["zero_optimization_stage", String(stage)],
  ];
  return all.filter(([key]) => !st.release.configAbsent.includes(key));
}

/** `key ........ value`: the key, one space, dots up to 29 columns, one space, the value. */
export function dottedEntry(key: string, value: string): string {
  return `  ${key} ${".".repeat(Math.max(0, 29 - key.length))} ${value}`;
}

/** The whole dump on rank 0 at `ms` (2 ms for every ~25 records), pdsh prefix on every line. */
export function configDump(
  cfg: RunConfig,
  st: DsState,
  ms: number,
  stepsPerPrint: number,
): Array<[number, string]> {
  const s = st.release.sites;
  const rec = (t: number, where: string, msg: string): [number, string] => [
    t,
    nodeRecord(cfg, 0, t, where, msg).split("\n").join(`\n${hostPrefix(cfg, 0)}`),
  ];
  const entries = configEntries(cfg, st, stepsPerPrint);
  const out: Array<[number, string]> = [rec(ms, s.configHeader, "DeepSpeedEngine configuration:")];
  entries.forEach(([k, v], i) =>
    out.push(rec(ms + 1 + Math.floor(i / 25), s.configItem, dottedEntry(k, v)))
  );
  const json = encodeJson(userConfig(cfg, st, stepsPerPrint), 0);
  out.push(rec(ms + 4, s.userConfig, `  json = ${json}`));
  return out;
}

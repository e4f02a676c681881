/**
 * The Hugging Face Trainer's fixed blocks, from the run configuration: the launch command,
 * TrainingArguments, the model config, the "Running training" banner, saves and train metrics.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { EXPORT_FORMATS, exportShards } from "../sim/model/storage.ts";
import { pyLogTime } from "../format/clock.ts";
import { hfArchitecture, hfConfigClass, hfModelType } from "./model_names.ts";
import { pyFloat } from "../format/python_repr.ts";
import { thousands } from "../format/units.ts";

/** The `transformers` release the run reports. */
export const TRANSFORMERS_VERSION = "4.46.3";

/** `[INFO|trainer.py:2405] 2026-11-24 09:00:03,367 >> `: transformers' explicit log format. */
export function hfHead(simMs: number, where: string, level = "INFO"): string {
  return `[${level}|${where}] ${pyLogTime(simMs)} >> `;
}

/** Lines from one transformers logger call site, each with the head. */
export function hfLines(simMs: number, where: string, lines: string[]): string {
  const head = hfHead(simMs, where);
  return lines.map((l) => head + l).join("\n");
}

function strategyFlags(cfg: RunConfig): string {
  const s = cfg.plan.strategy;
  if (s.startsWith("zero")) return `--deepspeed ds_config_zero${s.slice(4)}.json`;
  if (s === "fsdp") return `--fsdp "full_shard auto_wrap"`;
  return "--ddp_backend nccl";
}

/** The job's launch command: torchrun on every node running `run_clm.py`. */
export function hfLaunch(cfg: RunConfig): string {
  const c = cfg.cluster, p = cfg.plan;
  return `+ srun --nodes=${cfg.nodes} --ntasks-per-node=1 torchrun --nnodes=${cfg.nodes} ` +
    `--nproc-per-node=${cfg.gpusPerNode} --rdzv-backend=c10d ` +
    `--rdzv-endpoint=${c.masterAddr}:${c.masterPort} run_clm.py ` +
    `--model_name_or_path ${cfg.model.hf} --dataset_name ${cfg.dataset.name} ` +
    `--block_size ${cfg.seqLen} --per_device_train_batch_size ${p.microBatch} ` +
    `--gradient_accumulation_steps ${cfg.gradAccum} --learning_rate ${cfg.lrMax} ` +
    `--warmup_steps ${cfg.warmupSteps} --num_train_epochs ${cfg.epochs} --${cfg.precision} ` +
    `--logging_steps ${cfg.logInterval} --save_steps ${cfg.ckptInterval} --eval_strategy epoch ` +
    `${strategyFlags(cfg)} --seed ${cfg.seed} --output_dir ${cfg.outputDir}`;
}

/** The `Training/evaluation parameters TrainingArguments(...)` dump, one field a line. */
export function trainingArguments(cfg: RunConfig): string[] {
  const b = (v: boolean) => (v ? "True" : "False");
  const fields: Record<string, string> = {
    _n_gpu: "1",
    bf16: b(cfg.precision !== "fp16"),
    eval_strategy: "IntervalStrategy.EPOCH",
    fp16: b(cfg.precision === "fp16"),
    gradient_accumulation_steps: String(cfg.gradAccum),
    learning_rate: pyFloat(cfg.lrMax),
    local_rank: "0",
    logging_steps: String(cfg.logInterval),
    lr_scheduler_type: "SchedulerType.COSINE",
    max_grad_norm: "1.0",
    num_train_epochs: pyFloat(cfg.epochs),
    output_dir: cfg.outputDir,
    per_device_eval_batch_size: String(cfg.plan.microBatch * 2),
    per_device_train_batch_size: String(cfg.plan.microBatch),
    save_steps: String(cfg.ckptInterval),
    seed: String(cfg.seed),
    warmup_steps: String(cfg.warmupSteps),
    weight_decay: "0.1",
  };
  return [
    "Training/evaluation parameters TrainingArguments(",
    ...Object.entries(fields).map(([k, v]) => `${k}=${v},`),
    ")",
  ];
}

/** The Hub cache directory of the model's files. */
export function hubCache(cfg: RunConfig): string {
  const snapshot = createRng(cfg.seed, "style:hf:snapshot").hex(40);
  return `/root/.cache/huggingface/hub/models--${
    cfg.model.hf.replace("/", "--")
  }/snapshots/${snapshot}`;
}

/** `Model config LlamaConfig { ... }` as `PretrainedConfig.__repr__` prints it (keys sorted). */
export function modelConfig(cfg: RunConfig): string[] {
  const m = cfg.model;
  const json: Record<string, unknown> = {
    _name_or_path: m.hf,
    architectures: [hfArchitecture(m)],
    hidden_size: m.hidden,
    intermediate_size: m.ffn,
    max_position_embeddings: m.ctx,
    model_type: hfModelType(m),
    num_attention_heads: m.heads,
    num_hidden_layers: m.layers,
    num_key_value_heads: m.kvHeads,
    torch_dtype: "bfloat16",
    transformers_version: TRANSFORMERS_VERSION,
    vocab_size: m.vocab,
  };
  return [`Model config ${hfConfigClass(m)} ${JSON.stringify(json, null, 2)}\n`];
}

/** The `***** Running training *****` banner. */
export function trainingBanner(cfg: RunConfig): string[] {
  return [
    "***** Running training *****",
    `  Num examples = ${thousands(cfg.stepsPerEpoch * cfg.globalBatch)}`,
    `  Num Epochs = ${cfg.epochs}`,
    `  Instantaneous batch size per device = ${cfg.plan.microBatch}`,
    `  Total train batch size (w. parallel, distributed & accumulation) = ${cfg.globalBatch}`,
    `  Gradient Accumulation steps = ${cfg.gradAccum}`,
    `  Total optimization steps = ${thousands(cfg.totalSteps)}`,
    `  Number of trainable parameters = ${thousands(cfg.model.params)}`,
  ];
}

/** What `save_pretrained` logs for a directory: configs, weights (sharded past 5 GB), tokenizer. */
export function savedModel(cfg: RunConfig, simMs: number, dir: string): string {
  const shards = exportShards(cfg.model.params, EXPORT_FORMATS[0]).length;
  const weights = shards > 1
    ? `The model is bigger than the maximum size per checkpoint (5GB) and is going to be split in ` +
      `${shards} checkpoint shards. You can find where each parameters has been saved in the ` +
      `index located at ${dir}/model.safetensors.index.json.`
    : `Model weights saved in ${dir}/model.safetensors`;
  return [
    hfHead(simMs, "configuration_utils.py:419") + `Configuration saved in ${dir}/config.json`,
    hfHead(simMs, "configuration_utils.py:911") +
    `Configuration saved in ${dir}/generation_config.json`,
    hfHead(simMs, "modeling_utils.py:3042") + weights,
    hfHead(simMs, "tokenization_utils_base.py:2646") +
    `tokenizer config file saved in ${dir}/tokenizer_config.json`,
    hfHead(simMs, "tokenization_utils_base.py:2655") +
    `Special tokens file saved in ${dir}/special_tokens_map.json`,
  ].join("\n");
}

/** `Trainer.log_metrics`: keys padded, values right-aligned in one column. */
export function metricsBlock(split: string, metrics: Array<[string, string]>): string[] {
  const kw = Math.max(...metrics.map(([k]) => k.length));
  const vw = Math.max(...metrics.map(([, v]) => v.length));
  return [
    `***** ${split} metrics *****`,
    ...metrics.map(([k, v]) => `  ${k.padEnd(kw)} = ${v.padStart(vw)}`),
  ];
}

/** HF's runtime format in metrics: `2:00:18.12`. */
export function hfRuntime(seconds: number): string {
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60);
  const s = seconds - h * 3600 - m * 60;
  return `${h}:${String(m).padStart(2, "0")}:${s.toFixed(2).padStart(5, "0")}`;
}

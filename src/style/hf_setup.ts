/**
 * The fixed blocks of a Hugging Face job before its first step: the launch (torchrun's
 * OMP_NUM_THREADS banner or accelerate's defaults warning), the example script's own logger,
 * the model's config as `PretrainedConfig.__repr__` prints it, the tokenizer files and the
 * `***** Running training *****` banner, with the run's transformers release's call sites.
 */
import type { JobScript } from "./job_script.ts";
import { shellNumber } from "./deepspeed_script.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { pyLogTime, usDateTime } from "../format/clock.ts";
import { PY_LEVEL } from "../format/python_repr.ts";
import { thousands } from "../format/units.ts";
import { hfConfigClass } from "./model_names.ts";
import { modelConfigJson } from "./hf_model_config.ts";
import type { HfProfile } from "./hf_profile.ts";
import { hfScriptDir } from "./hf_frames.ts";
import { evalStrategyField } from "./hf_training_args.ts";
import { lfLaunchTrace } from "./hf_llamafactory.ts";

/** `[INFO|trainer.py:2519] 2026-11-24 09:00:03,367 >> `: transformers' explicit format. */
export function hfHead(simMs: number, where: string, level = "INFO"): string {
  return `[${level}|${where}] ${pyLogTime(simMs)} >> `;
}

/** One logging record from transformers (message may span lines), ending in a newline. */
export function hfRecord(simMs: number, where: string, msg: string, level = "INFO"): string {
  return `${hfHead(simMs, where, level)}${msg}\n`;
}

/** A record and the instant it was written at, for logs several processes write into. */
export type TimedRecord = [number, string];

/** `hfRecord` with its instant kept beside it. */
export function timedRecord(simMs: number, where: string, msg: string): TimedRecord {
  return [simMs, hfRecord(simMs, where, msg)];
}

/** The example script's logger: `11/24/2026 09:00:03 - INFO - __main__ - msg` and a newline. */
export function mainRecord(simMs: number, level: "info" | "warn", msg: string): string {
  return `${usDateTime(simMs)} - ${PY_LEVEL[level]} - __main__ - ${msg}\n`;
}

function strategyFlags(cfg: RunConfig): string {
  const s = cfg.plan.strategy;
  if (s.startsWith("zero")) return ` --deepspeed ds_config_zero${s.slice(4)}.json`;
  if (s === "fsdp") return ` --fsdp "full_shard auto_wrap"`;
  return "";
}

/** The warm-up as the script gives it: a ratio of the run, or steps. */
function warmupFlag(cfg: RunConfig): string {
  return cfg.warmupRatio > 0
    ? `--warmup_ratio ${cfg.warmupRatio}`
    : `--warmup_steps ${cfg.warmupSteps}`;
}

/** The job script's `set -x` trace of its last commands (none without `set -x`). */
export function launchTrace(cfg: RunConfig, prof: HfProfile, script: JobScript): string {
  if (!script.trace) return "";
  if (prof.lf) return lfLaunchTrace(cfg, prof.lf);
  const c = cfg.cluster, p = cfg.plan;
  const launcher = prof.launcher === "accelerate"
    ? `accelerate launch --num_processes ${cfg.gpusPerNode}`
    : `torchrun --nnodes=${cfg.nodes} --nproc_per_node=${cfg.gpusPerNode} ` +
      `--rdzv_backend=c10d --rdzv_endpoint=${c.masterAddr}:${c.masterPort}`;
  const srun = cfg.nodes > 1 ? `srun --nodes=${cfg.nodes} --ntasks-per-node=1 ` : "";
  // run_clm.py runs from its examples folder, which the script changes to first.
  const cd = `+ cd ${hfScriptDir(cfg)}\n`;
  return `${cd}+ ${srun}${launcher} run_clm.py --model_name_or_path ${cfg.model.hf} ` +
    `--dataset_name ${cfg.dataset.name} --block_size ${cfg.seqLen} --do_train --do_eval ` +
    `--per_device_train_batch_size ${p.microBatch} --per_device_eval_batch_size ` +
    `${prof.evalBatch} --gradient_accumulation_steps ${cfg.gradAccum} --learning_rate ` +
    `${shellNumber(cfg.lrMax)} --lr_scheduler_type cosine ${warmupFlag(cfg)} ` +
    `--weight_decay ${prof.weightDecay} --num_train_epochs ${cfg.epochs} --${
      cfg.precision === "fp16" ? "fp16" : "bf16"
    } ` +
    `--logging_steps ${cfg.logInterval} --save_steps ${cfg.ckptInterval}` +
    (prof.saveTotalLimit === null ? "" : ` --save_total_limit ${prof.saveTotalLimit}`) +
    ` --${
      evalStrategyField(prof.release.version)
    } epoch --ddp_timeout 600 --report_to ${prof.reportTo}` +
    `${strategyFlags(cfg)} --seed ${prof.seed} --output_dir ${cfg.outputDir}\n`;
}

/** accelerate's warning for the launch options it had to default (no `--mixed_precision`). */
export function accelerateDefaults(): string {
  return [
    "The following values were not passed to `accelerate launch` and had defaults used instead:",
    "\t`--num_machines` was set to a value of `1`",
    "\t`--mixed_precision` was set to a value of `'no'`",
    "\t`--dynamo_backend` was set to a value of `'no'`",
    "To avoid this warning pass in values for each of the problematic parameters or run " +
    "`accelerate config`.",
  ].join("\n") + "\n";
}

/**
 * The config's JSON (`to_json_string`: keys sorted, two-space indent) after its class name, as
 * transformers `version` (`4.44.2`) writes it.
 */
export function modelConfig(cfg: Pick<RunConfig, "model">, version: string): string {
  const m = cfg.model;
  return `Model config ${hfConfigClass(m)} ${modelConfigJson(m, version)}\n`;
}

/** The Hub cache directory of the model's files. */
export function hubCache(cfg: RunConfig): string {
  const snapshot = createRng(cfg.seed, "style:hf:snapshot").hex(40);
  return `/root/.cache/huggingface/hub/models--${
    cfg.model.hf.replace("/", "--")
  }/snapshots/${snapshot}`;
}

/**
 * The files the model's tokenizer class names (its `vocab_files_names`, in order) and which of
 * them its repository ships: SentencePiece models keep `tokenizer.model`, the byte-level BPE ones
 * `vocab.json` and `merges.txt`, and Llama 3's PreTrainedTokenizerFast only `tokenizer.json`.
 */
function vocabFiles(cfg: RunConfig): { names: string[]; shipped: string[] } {
  const m = cfg.model, family = m.family;
  if (m.id.startsWith("llama-3")) return { names: ["tokenizer.json"], shipped: ["tokenizer.json"] };
  const sentencePiece = ["llama", "mistral", "mixtral", "gemma", "phi"].includes(family);
  if (sentencePiece) {
    return {
      names: ["tokenizer.model", "tokenizer.json"],
      shipped: ["tokenizer.model", "tokenizer.json"],
    };
  }
  if (family === "deepseek") {
    return { names: ["tokenizer.model", "tokenizer.json"], shipped: ["tokenizer.json"] };
  }
  if (family === "falcon" || family === "bloom") {
    return { names: ["tokenizer.json"], shipped: ["tokenizer.json"] };
  }
  const bpe = ["vocab.json", "merges.txt", "tokenizer.json"];
  // GPT-2, Qwen and Phi ship the BPE vocabulary; EleutherAI's and AI2's repos only the fast file.
  const full = ["gpt2", "qwen", "qwen2-moe"].includes(family);
  return { names: bpe, shipped: full ? bpe : ["tokenizer.json"] };
}

/** Extra files some repositories ship beside the vocabulary. */
function sideFiles(cfg: RunConfig): string[] {
  const f = cfg.model.family;
  // GPT-2's and Qwen's repos have no special_tokens_map.json; Phi-3's adds added_tokens.json.
  const special = ["gpt2", "qwen", "qwen2-moe"].includes(f) ? [] : ["special_tokens_map.json"];
  return [...special, "tokenizer_config.json", ...(f === "phi" ? ["added_tokens.json"] : [])];
}

/** The tokenizer files `from_pretrained` looks up (the ones a repo lacks resolve to None). */
export function tokenizerFiles(cfg: RunConfig, prof: HfProfile, simMs: number): string {
  const cache = hubCache(cfg);
  const vocab = vocabFiles(cfg);
  const present = [...vocab.shipped, ...sideFiles(cfg)];
  const files = vocab.names.concat(["added_tokens.json", "special_tokens_map.json"])
    .concat(["tokenizer_config.json"])
    .concat(prof.release.chatTemplateFile ? ["chat_template.jinja"] : []);
  return files.map((f) =>
    hfRecord(
      simMs,
      prof.release.site.tokenizerFile,
      `loading file ${f} from cache at ${present.includes(f) ? `${cache}/${f}` : "None"}`,
    )
  ).join("");
}

/** The `***** Running training *****` banner, each line at its own call site. */
export function trainingBanner(cfg: RunConfig, prof: HfProfile, simMs: number): TimedRecord[] {
  const lines = [
    "***** Running training *****",
    `  Num examples = ${thousands(prof.trainExamples)}`,
    `  Num Epochs = ${thousands(cfg.epochs)}`,
    `  Instantaneous batch size per device = ${thousands(cfg.plan.microBatch)}`,
    `  Total train batch size (w. parallel, distributed & accumulation) = ` +
    thousands(cfg.globalBatch),
    `  Gradient Accumulation steps = ${cfg.gradAccum}`,
    `  Total optimization steps = ${thousands(cfg.totalSteps)}`,
    `  Number of trainable parameters = ${thousands(prof.lf?.trainable ?? cfg.model.params)}`,
  ];
  // Counting the parameters walks the model: the last line lands a few milliseconds later.
  const late = 1 + (cfg.seed % 4);
  return lines.map((l, i) =>
    timedRecord(simMs + (i === 7 ? late : 0), prof.release.site.banner[i], l)
  );
}

/** The lines under the banner when training continues from a checkpoint. */
export function resumeLines(
  cfg: RunConfig,
  prof: HfProfile,
  step: number,
  simMs: number,
): TimedRecord[] {
  const epochs = Math.floor(step / cfg.stepsPerEpoch);
  const batches = (step % cfg.stepsPerEpoch) * cfg.gradAccum;
  return [
    "  Continuing training from checkpoint, will skip to saved global_step",
    `  Continuing training from epoch ${epochs}`,
    `  Continuing training from global step ${step}`,
    `  Will skip the first ${epochs} epochs then the first ${batches} batches in the first epoch.`,
  ].map((l, i) => timedRecord(simMs, prof.release.site.resume[i], l));
}

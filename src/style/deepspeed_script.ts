/**
 * The training script the `deepspeed` launcher starts, modelled on DeepSpeed-Chat's step-1
 * `main.py` (mid-2023): its arguments, its rank-0 `print`s (the training banner, each epoch's
 * start and its perplexity evaluation, the final save) and, after training, the job's
 * `zero_to_fp32.py` consolidation of the last checkpoint.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng, hashUnit } from "../sim/rng.ts";
import { pyFloat } from "../format/python_repr.ts";
import { tqdmLine, tqdmRate } from "../format/tqdm.ts";
import { ggufTensorCount } from "./model_names.ts";

/** The script's file name (a DeepSpeed-Chat style `main.py` unless the job names another). */
export function dsScriptName(cfg: RunConfig): string {
  const s = cfg.cluster.script;
  return s === "pretrain_gpt.py" || s === "run_clm.py" ? "main.py" : s;
}

/**
 * Whether the script saves DeepSpeed checkpoints: DeepSpeed-Chat's own `main.py` writes only
 * the final model in HF format (rank 0, ZeRO-3 gathering it first); some teams' copies add the
 * engine's `save_checkpoint` every save interval.
 */
export function savesCheckpoints(cfg: RunConfig): boolean {
  // Many teams keep the script's final save alone; some add the engine's.
  return dsScriptName(cfg) !== "main.py" && hashUnit(cfg.seed, 0x5a7e) < 0.45;
}

/** The directory the job runs from (pdsh `cd`s there on every node). */
export function dsWorkDir(cfg: RunConfig): string {
  const dirs = [
    "llm-train",
    "dschat/training",
    "DeepSpeedExamples/applications/DeepSpeed-Chat/training/step1_supervised_finetuning",
    "train",
  ];
  const dir = createRng(cfg.seed, "style:deepspeed:workdir").pick(dirs);
  return `${cfg.cluster.home}/${dir}`;
}

/** A number as a person types it in a shell script: `2e-5`, `3e-4`, `0.1`. */
export function shellNumber(x: number): string {
  if (x >= 0.001) return String(x);
  return x.toExponential().replace("e-0", "e-").replace(/\.0+e/, "e");
}

/** ZeRO stage the run's config asks for (FSDP's full sharding is stage 3; plain DP stage 1). */
export function dsStage(cfg: RunConfig): 1 | 2 | 3 {
  const s = cfg.plan.strategy;
  if (s === "zero2") return 2;
  if (s === "zero3" || s === "fsdp") return 3;
  return 1;
}

/** The script's command-line arguments after its name. */
export function dsScriptArgs(cfg: RunConfig): string[] {
  const p = cfg.plan;
  // Weight decay and seed as the team's script sets them (DeepSpeed-Chat's seed default 1234).
  const rng = createRng(cfg.seed, "style:deepspeed:recipe");
  const decay = rng.weighted(["0.", "0.1", "0.0", "0.01"], [35, 35, 15, 15]);
  const seed = rng.weighted(["1234", "42", "2023"], [55, 35, 10]);
  const schedule = cfg.schedule === "wsd" ? "warmup_stable_decay" : "cosine";
  return [
    "--data_path",
    // DeepSpeed-Chat's loader knows a fixed list of Hub sets (Dahoas/rm-static, ...); any other
    // data goes in as its `local/jsonfile` (data/train.json and data/eval.json).
    "local/jsonfile",
    "--model_name_or_path",
    cfg.model.hf,
    "--per_device_train_batch_size",
    String(p.microBatch),
    "--per_device_eval_batch_size",
    String(p.microBatch * 2),
    "--max_seq_len",
    String(cfg.seqLen),
    "--learning_rate",
    shellNumber(cfg.lrMax),
    "--weight_decay",
    decay,
    "--num_train_epochs",
    String(cfg.epochs),
    "--gradient_accumulation_steps",
    String(cfg.gradAccum),
    "--lr_scheduler_type",
    schedule,
    "--num_warmup_steps",
    String(cfg.warmupSteps),
    "--seed",
    seed,
    ...(p.recompute !== "none" ? ["--gradient_checkpointing"] : []),
    "--zero_stage",
    String(dsStage(cfg)),
    "--dtype",
    cfg.precision === "fp16" ? "fp16" : "bf16",
    "--deepspeed",
    "--output_dir",
    cfg.outputDir,
  ];
}

/** Micro batches per rank in an epoch (`len(train_dataloader)`). */
export function microBatchesPerEpoch(cfg: RunConfig): number {
  return cfg.stepsPerEpoch * cfg.gradAccum;
}

/** The banner of an epoch (after the training banner for the run's first). */
export function epochBanner(cfg: RunConfig, epoch: number, first: boolean): string {
  const begin = `Beginning of Epoch ${epoch}/${cfg.epochs}, Total Micro Batches ${
    microBatchesPerEpoch(cfg)
  }`;
  return first ? `***** Running training *****\n${begin}` : begin;
}

/** The evaluation's opening line. */
export function evalBanner(cfg: RunConfig, epoch: number): string {
  return `***** Evaluating perplexity, Epoch ${epoch}/${cfg.epochs} *****`;
}

/** `ppl: 2.0179834365844727`: exp of the mean fp32 loss, a float32 read into a Python float. */
export function pplLine(loss: number): string {
  return `ppl: ${pyFloat(Math.fround(Math.exp(Math.fround(loss))))}`;
}

/** The final tqdm line of a bar that ran `n` items in `seconds`. */
export function doneBar(desc: string, n: number, seconds: number): string {
  // tqdm truncates the elapsed time to whole seconds (int(t)), and rates from the exact one.
  return tqdmLine(desc, n, n, 1, Math.floor(seconds), 0, tqdmRate(seconds / n));
}

/** zero_to_fp32.py's output files: fp32 weights in 5 GB shards. */
export function fp32Shards(cfg: RunConfig): number {
  return Math.max(1, Math.ceil((cfg.model.params * 4) / 5e9));
}

/** zero_to_fp32.py reading the last checkpoint, up to the reconstructed state dict. */
export function consolidation(
  cfg: RunConfig,
  step: number,
  version: string,
  seconds: number,
): string[] {
  const stage = dsStage(cfg), dp = cfg.plan.dp, tensors = ggufTensorCount(cfg.model);
  const rng = createRng(cfg.seed, "style:deepspeed:fp32");
  const load = seconds * rng.range(0.55, 0.8);
  const lines = [
    `Processing zero checkpoint '${cfg.outputDir}/global_step${step}'`,
    doneBar("Loading checkpoint shards", dp, load),
    `Detected checkpoint of type zero stage ${stage}, world_size: ${dp}`,
    `Parsing checkpoint created by deepspeed==${version}`,
  ];
  if (stage < 3) {
    lines.push(`Reconstructed fp32 state dict with ${tensors} params ${cfg.model.params} elements`);
  } else {
    lines.push(doneBar("Gathering sharded weights", tensors, seconds - load));
    lines.push(
      `Reconstructed Trainable fp32 state dict with ${tensors} params ${cfg.model.params} elements`,
    );
  }
  return lines;
}

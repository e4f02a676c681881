import { faultChainSources } from "./fault_chain.ts";

/**
 * The line shapes of a Hugging Face Trainer job's captured log (transformers 4.57.6, torchrun or
 * accelerate, wandb 0.22), one regex per kind of line, written from the tools' own formats.
 */
import { GPU_MONITOR_SHAPES } from "./gpu_monitor.ts";

const TS = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}`;
const HEAD = String.raw`\[(?:INFO|WARNING)\|[a-z_]+\.py:\d+\] ${TS} >> `;
const BAR = String
  .raw`(?:[A-Za-z ]+: )?[ \d]{3}%\|[█▏▎▍▌▋▊▉ 0-9#]+\| \d+/\d+ \[\d+:\d\d(?::\d\d)?<(?:\?|\d+:\d\d(?::\d\d)?), +(?:\?|\d+\.\d\d)(?:it/s|s/it)\]`;
const DICT = String.raw`\{'[a-z_]+': [^{}]+\}`;

/** LLaMA-Factory's messages, each through its logger (`[LEVEL|date time] module:line >> `). */
const LF_MESSAGES = [
  String.raw`Initializing (?:\d+ )?distributed tasks at: [\d.]+:\d+`,
  String
    .raw`Process rank: -?\d+, (?:world size: \d+, device: cuda:\d+|device: cuda:\d+, n_gpu: 1), distributed training: (?:True|False), compute dtype: torch\.(?:bfloat16|float16)`,
  "Set `ddp_find_unused_parameters` to False in DDP training since LoRA is enabled\\.",
  "`ddp_find_unused_parameters` needs to be set as False for LoRA in DDP training\\.",
  String.raw`Loading dataset [\w.-]+\.json\.\.\.`,
  String.raw`KV cache is disabled during training\.`,
  String.raw`Gradient checkpointing enabled\.`,
  String.raw`Using torch SDPA for faster training and inference\.`,
  String
    .raw`(?:Upcasting trainable params to float32|(?:DeepSpeed ZeRO3|ZeRO3 \/ FSDP) detected, remaining trainable params in float32)\.`,
  String.raw`Fine-tuning method: (?:LoRA|Full)`,
  String.raw`Found linear modules: [a-z_]+(?:,[a-z_]+)*`,
  String.raw`trainable params: [\d,]+ \|\| all params: [\d,]+ \|\| trainable%: \d+\.\d{4}`,
  String.raw`No metric eval_(?:loss|accuracy) to plot\.`,
];

/** `datasets`' map bars (` examples` units) under LLaMA-Factory. */
const LF_BAR = String
  .raw`(?:Converting format of dataset|Running tokenizer on dataset) \(num_proc=\d+\): [ \d]{3}%\|[█▏▎▍▌▋▊▉ #0-9]+\| \d+/\d+ \[\d\d:\d\d<(?:\?|\d\d:\d\d), +(?:\?|\d+\.\d\d) examples/s\]`;

/** The lines a LLaMA-Factory job adds (its launch, logger, data bars, plots, model card). */
const LF_SHAPES: RegExp[] = [
  /^\+ llamafactory-cli train \S+\.yaml$/,
  /^\+ srun --nodes=\d+ --ntasks-per-node=1 bash -c 'FORCE_TORCHRUN=1 NNODES=\d+ NODE_RANK=\$SLURM_NODEID MASTER_ADDR=[\d.]+ MASTER_PORT=\d+ llamafactory-cli train \S+\.yaml'$/,
  new RegExp(
    String
      .raw`^\[(?:INFO|WARNING)\|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] llamafactory\.[a-z_.]+:\d+ >> (?:${
      LF_MESSAGES.join("|")
    })$`,
  ),
  new RegExp(`^${LF_BAR}$`),
  /^Figure saved at: \S+\/training_(?:eval_)?loss\.png$/,
  /^\{'task': \{'name': 'Causal Language Modeling', 'type': 'text-generation'\}\}$/,
  ...faultChainSources("", String.raw`\S+\/llamafactory\/launcher\.py`).map((s) =>
    new RegExp(`^(?:${BAR})*${s}$`)
  ),
];

/** Every kind of line the style prints. */
export const HF_SHAPES: RegExp[] = [
  /^\+ (?:srun .+ )?(?:torchrun|accelerate launch) .+ run_clm\.py .+$/,
  /^\+ cd \/\S+$/,
  /^The following values were not passed to `accelerate launch` and had defaults used instead:$/,
  /^\t`--[a-z_]+` was set to a value of `.+`$/,
  /^To avoid this warning pass in values for each of the problematic parameters or run `accelerate config`\.$/,
  /^\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d - (?:INFO|WARNING) - __main__ - .+$/,
  /^[a-z_0-9]+=.*,$/,
  /^\)$/,
  /^TrainingArguments\($/,
  new RegExp(`^${HEAD}.*$`),
  /^\s*"[a-z_]+": .+,?$/,
  /^\s*"[A-Za-z]+"$/,
  /^\s*[\]}],?$/,
  /^\*{5} (?:Running Evaluation|train metrics|eval metrics) \*{5}$/,
  /^Training completed\. Do not forget to share your model on huggingface\.co\/models =\)$/,
  /^ {2}[a-z_]+ += +\S.*$/,
  new RegExp(`^(?:${BAR})+(?:${DICT}|${HEAD}.*|Traceback \\(most recent call last\\):)?$`),
  new RegExp(`^${DICT}$`),
  /^ +$/,
  // A nested bar cleared with spaces and ESC[A: the next line lands after the spaces.
  new RegExp(`^ +${HEAD}.*$`),
  /^$/,
  /^[a-z0-9-]+:\d+:\d+ \[\d\] NCCL INFO .+$/,
  /^[NR]CCL version \d+\.\d+\.\d+\+(?:cuda|hip)\d+\.\d+$/,
  /^wandb: (?:Currently logged in as: .+|Tracking run with wandb version [\d.]+|Run data is saved locally in .+|Run `wandb offline` to turn off syncing\.|Syncing run [a-z]+-[a-z]+-\d+|⭐️ View project at:? https:\/\/wandb\.ai\/.+|🚀 View run (?:\S+ at: )?(?:at )?https:\/\/wandb\.ai\/.+|Run history:|Run summary:|Synced \d+ W&B file\(s\), .+|Find logs at: .+|\s*[a-z_/]+ [▁▂▃▄▅▆▇█]+|\s*[a-z_/]+ [-\d.e+]+|)$/,
  /^Traceback \(most recent call last\):$/,
  /^ {2}File ".+", line \d+, in .+$/,
  /^ {4}\S.*$/,
  /^ *\^+$/,
  /^KeyboardInterrupt$/,
  /^slurmstepd: error: \*\*\* JOB \d+ ON \S+ CANCELLED AT \S+ \*\*\*$/,
  // The job script's nvidia-smi and the GPU monitor it runs beside training.
  ...GPU_MONITOR_SHAPES.map(([, re]) => re),
  // torch, torchrun and Slurm around a fault; a worker's first line glues onto an open bar.
  ...faultChainSources("", String.raw`run_clm\.py`).map((s) => new RegExp(`^(?:${BAR})*${s}$`)),
  ...LF_SHAPES,
];

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
];

/**
 * The line shapes a torchtitan job under torchrun and Slurm prints, one pattern per kind of
 * line, written from the tools' formats: the launch script's xtrace, torchrun's glog lines,
 * torchtitan's logger (through `--tee` with role `rank`), NCCL_DEBUG lines, torch's worker
 * errors and C++ frame dumps, torchrun's error summary, srun and slurmstepd (the last four
 * shared with every style: fault_chain.ts).
 */
import { faultChainShapes } from "./fault_chain.ts";

/** run_train.sh's `--tee` prefix on one node; the multi-node script's lines carry none. */
const TEE = String.raw`(?:\[rank0\]:)?`;
const TITAN = String
  .raw`${TEE}\[titan\] \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - root - (?:INFO|WARNING) - `;
const NUM = String.raw`[\d,]+(?:\.\d+)?`;

/** torchtitan's logger messages. */
const TITAN_MESSAGES = [
  String.raw`Starting job: .+ training`,
  String.raw`Building \d-D device mesh with \[(?:'\w+'(?:, )?)+\], \[[\d, ]+\]`,
  String
    .raw`\[GC\] (?:Initial GC collection\.? |Peforming periodical GC collection\. |Performing periodic GC collection |GC collection invoked by checkpointer\. |GC collection for checkpoint loading\. )(?:took )?\d+\.\d\d seconds\.?`,
  String.raw`Loading tokenizer from tokenizer\.json`,
  String.raw`Preparing \S+ dataset from \S+`,
  String
    .raw`Building \w+ [\d.]+[BM] with TransformerModelArgs\(_enforced='This field is used to enforce all fields have defaults\.', dim=\d+, .*eos_id=\d+\)`,
  String.raw`CUDA capacity: .+ with \d+\.\d\dGiB memory`,
  String.raw`Peak flops undefined for: .+, fallback to A100`,
  String.raw`Model \w+ [\d.]+[BM] size: [\d,]+ total parameters`,
  String.raw`Applied (?:full|selective) activation checkpointing to the model`,
  String.raw`Compiling each TransformerBlock with torch\.compile`,
  String.raw`Applied (?:FSDP|HSDP|DDP) to the model`,
  String.raw`Peak FLOPS used for computing MFU: \d\.\d{3}e\+\d\d`,
  String.raw`CUDA memory usage for model: \d+\.\d\dGiB\(\d+\.\d\d%\)`,
  String.raw`Checkpointing active\. Checkpoints will be loaded from and saved to \S+/checkpoint`,
  String.raw`Mixed precision training is handled by (?:fully_shard|AMP)`,
  String
    .raw`Trainer is initialized with local batch size \d+, global batch size \d+, gradient accumulation steps \d+, sequence length \d+, total steps \d+ \(warmup \d+\)\.?`,
  String.raw`Loading the checkpoint from \S+/checkpoint/step-\d+\.`,
  String.raw`Finished loading the checkpoint in \d+\.\d\d seconds\.`,
  String.raw`Training starts at step \d+\.?`,
  String.raw`Profiling active\. Traces will be saved at \S+/profile_trace`,
  String
    .raw`step: +\d+  loss: +\d+\.\d{4}  (?:grad_norm: +\d+\.\d{4}  )?memory: +\d+\.\d\dGiB\(\d+\.\d\d%\)  tps: [\d,]+  tflops: ${NUM}  mfu: \d+\.\d\d%`,
  String.raw`Synchronizing and adjusting timeout for all ProcessGroups to \d+:\d\d:\d\d`,
  String.raw`Dumping profiler traces at step \d+`,
  String.raw`Finished dumping profiler traces in \d+\.\d\d seconds`,
  String
    .raw`validate step: +\d+  loss: +\d+\.\d{4}  memory: +\d+\.\d\dGiB\(\d+\.\d\d%\)  tps: [\d,]+`,
  String.raw`Dataset \S+ is being re-looped`,
  String.raw`Saving the checkpoint \(or staging if async is enabled\)\.`,
  String.raw`Saving a full checkpoint at last step, step \d+\.`,
  String
    .raw`Finished saving the checkpoint \(or staging if async is enabled\)in \d+\.\d\d seconds\.`,
  String.raw`Sleeping 2 seconds for other ranks to complete`,
  String.raw`Training completed`,
  String.raw`Destroying the purge thread\.`,
  String.raw`Process group destroyed\.?`,
];

/** The launch script's xtrace and NCCL's lines. */
const AROUND = [
  String.raw`\+ NGPU=\d+`,
  String.raw`\+ (?:export )?LOG_RANK=0`,
  String.raw`\+ CONFIG_FILE=\S+\.toml`,
  String.raw`\+ TRAIN_FILE=torchtitan\.train`,
  String.raw`\+ PYTORCH_ALLOC_CONF=expandable_segments:True`,
  String
    .raw`\+ torchrun --nproc_per_node=\d+ --rdzv_backend c10d --rdzv_endpoint=localhost:0 --local-ranks-filter 0 --role rank --tee 3 -m torchtitan\.train --job\.config_file \S+`,
  String
    .raw`\+ (?:srun )?torchrun --nnodes \d+ --nproc_per_node \d+ --rdzv_id \d+ --rdzv_backend c10d --rdzv_endpoint [\d.]+:\d+ (?:--local-ranks-filter 0 --role rank --tee 3 )?-m torchtitan\.train --job\.config_file \S+`,
  String.raw`${TEE}[\w.-]+:\d+:\d+ \[\d\] NCCL INFO \S.*`,
  String.raw`${TEE}[NR]CCL version \d+\.\d+\.\d+\+(?:cuda|hip)\d+\.\d+`,
];

/** Every line shape of the style, anchored. */
export const TORCHRUN_SHAPES: RegExp[] = [
  ...[...TITAN_MESSAGES.map((m) => `${TITAN}${m}`), ...AROUND].map((s) => new RegExp(`^${s}$`)),
  ...faultChainShapes(TEE, String.raw`torchtitan\.train`),
];

/**
 * The line shapes a torchtitan job under torchrun and Slurm prints, one pattern per kind of
 * line, written from the tools' formats: the launch script's xtrace, torchrun's glog lines,
 * torchtitan's logger (through `--tee` with role `rank`), NCCL_DEBUG lines, torch's worker
 * errors and C++ frame dumps, torchrun's error summary, srun and slurmstepd.
 */

const TEE = String.raw`\[rank0\]:`;
const TITAN = String
  .raw`${TEE}\[titan\] \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - root - (?:INFO|WARNING) - `;
const GLOG = String
  .raw`[WEI]\d{4} \d\d:\d\d:\d\d\.\d{3}000 \d+ (?:site-packages/)?torch/distributed/[\w/]+\.py:\d+\] `;
const C10 = String.raw`\[[EW]\d{4} \d\d:\d\d:\d\d\.\d{9} ProcessGroupNCCL\.cpp:\d+\] `;
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

/** torchrun's agent messages. */
const AGENT_MESSAGES = [
  "",
  String.raw`\*{41}`,
  String
    .raw`Setting OMP_NUM_THREADS environment variable for each process to be 1 in default, to avoid your system being overloaded, please further tune the variable for optimal performance in your application as needed\.`,
  String.raw`Sending process \d+ closing signal SIG(?:TERM|INT)`,
  String.raw`failed \(exitcode: -?\d+\) local_rank: \d+ \(pid: \d+\) of binary: \S+`,
  String.raw`Received Signals\.SIG(?:INT|TERM) death signal, shutting down workers`,
];

/** A worker's own output: torch's excepthook prefix, its C++ log lines, raw stderr. */
const WORKER = [
  String.raw`${TEE}\[rank\d+\]: Traceback \(most recent call last\):`,
  String.raw`${TEE}\[rank\d+\]:   File "[^"]+", line \d+, in \S+`,
  String.raw`${TEE}\[rank\d+\]:     \S.*`,
  String.raw`${TEE}\[rank\d+\]:     +\^+`,
  String.raw`${TEE}\[rank\d+\]: (?:RuntimeError|torch\.AcceleratorError): CUDA error: [a-zA-Z ]+`,
  String
    .raw`${TEE}\[rank\d+\]: torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate ${NUM} [KMG]iB\. GPU \d has a total capacity of ${NUM} GiB of which ${NUM} [KMG]iB is free\. (?:Including non-PyTorch memory, this process|Process \d+) has ${NUM} GiB memory in use\. Of the allocated memory ${NUM} GiB is allocated by PyTorch, and ${NUM} [KMG]iB is reserved by PyTorch but unallocated\. If reserved but unallocated memory is large try setting PYTORCH_(?:CUDA_)?ALLOC_CONF=expandable_segments:True to avoid fragmentation\.  See documentation for Memory Management  \(https://pytorch\.org/docs/stable/notes/cuda\.html#environment-variables\)`,
  String.raw`${TEE}\[rank\d+\]: KeyboardInterrupt`,
  String
    .raw`${TEE}(?:\[rank\d+\]: )?(?:CUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect\.|For debugging consider passing CUDA_LAUNCH_BLOCKING=1|Compile with \`TORCH_USE_CUDA_DSA\` to enable device-side assertions\.|Search for \`cudaError\w+' in https://docs\.nvidia\.com/cuda/cuda-runtime-api/group__CUDART__TYPES\.html for more information\.)`,
  String.raw`${TEE}\[rank\d+\]:${C10}.+`,
  String.raw`${TEE}Exception raised from \w+ at \S+:\d+ \(most recent call first\):`,
  String.raw`${TEE}frame #\d+: .+ \+ 0x[0-9a-f]+ \(0x[0-9a-f]+ in \S+\)`,
  String.raw`${TEE}terminate called after throwing an instance of 'c10::\w+'`,
  String.raw`${TEE}  what\(\):  .+`,
  TEE,
];

/** torchrun's own traceback and its error summary. */
const SUMMARY = [
  String.raw`Traceback \(most recent call last\):`,
  String.raw`  File "[^"]+", line \d+, in \S+`,
  String.raw`    \S.*`,
  String.raw` +\^+`,
  String.raw`torch\.distributed\.elastic\.multiprocessing\.errors\.ChildFailedError: `,
  String
    .raw`torch\.distributed\.elastic\.multiprocessing\.api\.SignalException: Process \d+ got signal: (?:2|15)`,
  String.raw`={20,60}`,
  String.raw`-{20,60}`,
  String.raw`torchtitan\.train FAILED`,
  "Failures:",
  "  <NO_OTHER_FAILURES>",
  String.raw`Root Cause \(first observed failure\):`,
  String.raw`\[\d+\]:`,
  String.raw`  time      : \d{4}-\d\d-\d\d_\d\d:\d\d:\d\d`,
  String.raw`  host      : [\w.-]+`,
  String.raw`  rank      : \d+ \(local_rank: \d+\)`,
  String.raw`  exitcode  : -?\d+ \(pid: \d+\)`,
  String.raw`  error_file: (?:<N/A>|/tmp/torchelastic_\w{8}/none_\w{8}/attempt_0/\d+/error\.json)`,
  String
    .raw`  traceback : (?:Signal \d+ \(SIG[A-Z]+\) received by PID \d+|To enable traceback see: https://pytorch\.org/docs/stable/elastic/errors\.html|Traceback \(most recent call last\):)`,
  // The recorded traceback's own lines, indented two more.
  String.raw`      \S.*`,
  String.raw`      +\^+`,
  String.raw`  (?:RuntimeError|torch\.AcceleratorError|torch\.OutOfMemoryError): .+`,
  String.raw`  (?:CUDA kernel errors|For debugging consider|Compile with|Search for) .+`,
];

/** The launch script's xtrace, NCCL, srun and slurmstepd. */
const AROUND = [
  String.raw`\+ NGPU=\d+`,
  String.raw`\+ (?:export )?LOG_RANK=0`,
  String.raw`\+ CONFIG_FILE=\S+\.toml`,
  String.raw`\+ TRAIN_FILE=torchtitan\.train`,
  String.raw`\+ PYTORCH_ALLOC_CONF=expandable_segments:True`,
  String
    .raw`\+ torchrun --nproc_per_node=\d+ --rdzv_backend c10d --rdzv_endpoint=localhost:0 --local-ranks-filter 0 --role rank --tee 3 -m torchtitan\.train --job\.config_file \S+`,
  String
    .raw`\+ (?:srun )?torchrun --nnodes \d+ --nproc_per_node \d+ --rdzv_id \d+ --rdzv_backend c10d --rdzv_endpoint [\d.]+:\d+ --local-ranks-filter 0 --role rank --tee 3 -m torchtitan\.train --job\.config_file \S+`,
  String.raw`${TEE}[\w.-]+:\d+:\d+ \[\d\] NCCL INFO \S.*`,
  String.raw`${TEE}NCCL version \d+\.\d+\.\d+\+cuda\d+\.\d+`,
  String.raw`srun: error: [\w.-]+: task \d+: Exited with exit code \d+`,
  String.raw`srun: Job step aborted: Waiting up to \d+ seconds for job step to finish\.`,
  String
    .raw`slurmstepd(?:-[\w.-]+)?: error: \*\*\* (?:STEP \d+\.\d+|JOB \d+) ON [\w.-]+ CANCELLED AT \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d DUE TO TIME LIMIT \*\*\*`,
];

/** Every line shape of the style, anchored. */
export const TORCHRUN_SHAPES: RegExp[] = [
  ...TITAN_MESSAGES.map((m) => `${TITAN}${m}`),
  ...AGENT_MESSAGES.map((m) => `${GLOG}${m}`),
  ...WORKER,
  ...SUMMARY,
  ...AROUND,
].map((s) => new RegExp(`^${s}$`));

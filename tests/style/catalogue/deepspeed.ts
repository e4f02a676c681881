/**
 * The line shapes a `deepspeed` launch prints (DeepSpeed 0.9.5 to 0.16.9, its launcher over pdsh, torch's
 * extension loader, a DeepSpeed-Chat style script, zero_to_fp32.py, NCCL and llama.cpp's GGUF
 * converter), one regular expression per kind of line, written from the tools' formats.
 */

import { GPU_MONITOR_SHAPES } from "./gpu_monitor.ts";
import { faultChainSources, workerShapes } from "./fault_chain.ts";

/** A kind of line and the shape every line of that kind has. */
export type Shape = readonly [string, RegExp];

/** Optional pdsh host prefix. */
const H = String.raw`(?:[a-z0-9][a-z0-9.-]*: )?`;
/** Python logging's asctime and level in DeepSpeed's format. */
const TS = String.raw`\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] \[(?:INFO|WARNING|ERROR)\] `;
/** A Python float repr. */
const F = String.raw`-?\d+(?:\.\d+)?(?:e[+-]\d\d)?`;
/** A path, absolute or relative to where the job was started (`output/run1`, `./ckpt`). */
const PATH = String.raw`(?:/|\./)?[\w.-]+(?:/[\w.=-]+)*`;

/** A DeepSpeed record from `site` whose message matches `msg`. */
function rec(site: string, msg: string): RegExp {
  return new RegExp(`^${H}${TS}\\[${site.replaceAll(".", "\\.")}\\] ${msg}$`);
}

/** A line printed without logging (a `print`, torch's extension loader, tqdm), host-prefixed. */
function bare(msg: string): RegExp {
  return new RegExp(`^${H}${msg}$`);
}

const rank0 = (msg: string) =>
  rec("logging.py:(?:96|107):log_dist", String.raw`\[Rank \d+\] ${msg}`);
const bar = (desc: string) =>
  bare(
    String
      .raw`${desc}: 100%\|██████████\| \d+/\d+ \[(?:\d+:)?\d\d:\d\d<00:00, +\d+\.\d\d(?:it/s|s/it)\]`,
  );

/** Every shape of the style's text output. */
export const DEEPSPEED_SHAPES: readonly Shape[] = [
  ["script cd (set -x)", /^\+ cd \/\S+$/],
  [
    "job trace",
    /^\+ deepspeed (?:--hostfile \S+ |--num_gpus \d |--include localhost:\d(?:,\d)* )?(?:--master_addr [\d.]+ )?(?:--master_port \d+ )?\S+\.py( --?\w+(?: \S+)?)+$/,
  ],
  [
    "mpirun trace",
    /^\+ mpirun -np \d+ (?:-npernode \d --hostfile \S+ )?(?:-x \w+=\S+ )+python \S+\.py( --?\w+(?: \S+)?)+$/,
  ],
  [
    "accelerator",
    rec(
      "real_accelerator.py:(?:110|158|161|203|254):get_accelerator",
      String.raw`Setting ds_accelerator to cuda \(auto detect\)`,
    ),
  ],
  [
    "no hostfile",
    rec(
      "runner.py:(?:196|202|203|215):fetch_hostfile",
      "Unable to find hostfile, will proceed with training with local resources only.",
    ),
  ],
  [
    "detected devices",
    bare(
      String
        .raw`Detected (?:CUDA_)?VISIBLE_DEVICES=\d(?:,\d)*(?:: setting --include=localhost:\d(?:,\d)*| but ignoring it because one or several of --include/--exclude/--num_gpus/--num_nodes cl args were used\. If you want to use CUDA_VISIBLE_DEVICES don't pass any of these arguments to deepspeed\.)`,
    ),
  ],
  [
    "master ip",
    rec("runner.py:(?:452|463|494):main", String.raw`Using IP address of [\d.]+ for node \S+`),
  ],
  [
    "workers",
    rec(
      "multinode_runner.py:(?:70|72|80|81|85):get_cmd",
      String.raw`Running on the following workers: [\w.,-]+`,
    ),
  ],
  [
    "runner cmd",
    rec(
      "runner.py:(?:555|568|570|571|605):main",
      String
        .raw`cmd = (?:pdsh -S -f 1024 -w [\w.,-]+ (?:export \w+=\S+; )+ cd \S+; )?\S+ -u -m deepspeed\.launcher\.launch --world_info=[\w=-]+ (?:--node_rank=%n )?--master_addr=[\d.]+ --master_port=\d+ --enable_each_rank_log=None \S+\.py .*`,
    ),
  ],
  ["launch env", rec("launch.py:(?:138|139):main", String.raw`\d+ NCCL_\w+=\S+`)],
  [
    "world info",
    rec(
      "launch.py:(?:145|146):main",
      String.raw`WORLD INFO DICT: \{('[\w.-]+': \[[\d, ]+\](, )?)+\}`,
    ),
  ],
  [
    "nnodes",
    rec("launch.py:(?:151|152):main", String.raw`nnodes=\d+, num_local_procs=\d+, node_rank=\d+`),
  ],
  [
    "rank mapping",
    rec(
      "launch.py:(?:162|163):main",
      String
        .raw`global_rank_mapping=defaultdict\(<class 'list'>, \{('[\w.-]+': \[[\d, ]+\](, )?)+\}\)`,
    ),
  ],
  ["world size", rec("launch.py:(?:163|164):main", String.raw`dist_world_size=\d+`)],
  [
    "visible devices",
    rec("launch.py:(?:165|168):main", String.raw`Setting CUDA_VISIBLE_DEVICES=\d(,\d)*`),
  ],
  [
    "spawned",
    rec(
      "launch.py:256:main",
      String
        .raw`process \d+ spawned with command: \['\S+', '-u', '\S+\.py', '--local_rank=\d+'(, '[^']*')+\]`,
    ),
  ],
  ["killing", rec("launch.py:(?:315|319):sigkill_handler", String.raw`Killing subprocess \d+`)],
  [
    "exit code",
    rec(
      "launch.py:(?:321|325):sigkill_handler",
      String
        .raw`\['\S+', '-u', '\S+\.py', '--local_rank=\d+'(, '[^']*')+\] exits with return code = -?\d+`,
    ),
  ],
  [
    "signal exit",
    rec(
      "launch.py:(?:324|328):sigkill_handler",
      String.raw`Main process received SIG(?:INT|TERM), exiting`,
    ),
  ],
  ["exit ok", rec("launch.py:(?:347|351):main", String.raw`Process \d+ exits successfully\.`)],
  ["cdb", rec("comm.py:(?:594|637|669):init_distributed", "cdb=None")],
  [
    "mpi detect",
    rec(
      "comm.py:(?:609|652|684):init_distributed",
      String
        .raw`Not using the DeepSpeed or dist launchers, attempting to detect MPI environment\.\.\.`,
    ),
  ],
  [
    "mpi discovered",
    rec(
      "comm.py:(?:659|702|739):mpi_discovery",
      String
        .raw`Discovered MPI settings of world_rank=\d+, local_rank=\d, world_size=\d+, master_addr=[\d.]+, master_port=29500`,
    ),
  ],
  [
    "torch backend",
    rec(
      "comm.py:(?:625|668|700):init_distributed",
      "Initializing TorchBackend in DeepSpeed with backend nccl",
    ),
  ],
  [
    "version",
    rank0(
      String
        .raw`DeepSpeed info: version=0\.(?:9\.5|10\.3|12\.6|14\.4|16\.9), git-hash=unknown, git-branch=unknown`,
    ),
  ],
  ["mesh", rec("config.py:735:__init__", String.raw`Config mesh_device None world_size = \d+`)],
  [
    "engine",
    rank0(
      String
        .raw`(?:DeepSpeed Flops Profiler Enabled: False|Using client Optimizer as basic optimizer|Removing param_group that has no 'params' in the (?:basic|client) Optimizer|DeepSpeed Basic Optimizer = FusedAdam|Creating fp16 ZeRO stage 3 optimizer, MiCS is enabled False, Hierarchical params gather False|Creating torch\.(?:bfloat16|float16) ZeRO stage [123] optimizer|DeepSpeed Final Optimizer = (?:DeepSpeedZeroOptimizer(?:_Stage3)?|FusedAdam)|DeepSpeed using client LR scheduler|DeepSpeed LR Scheduler = <torch\.optim\.lr_scheduler\.LambdaLR object at 0x7f[0-9a-f]{9}0>)`,
    ),
  ],
  [
    "zero support",
    rec(
      "utils.py:(?:54|56|59):is_zero_supported_optimizer",
      String
        .raw`Checking ZeRO support for optimizer=FusedAdam type=<class 'deepspeed\.ops\.adam\.fused_adam\.FusedAdam'>`,
    ),
  ],
  [
    "memory label",
    rec(
      "utils.py:(?:781|785|791|803):see_memory_usage",
      String
        .raw`(?:Stage 3 initialize beginning|DeepSpeedZeRoOffload initialize \[(?:begin|end)\]|(?:Before|After) creating fp(?:16|32) partitions(?:: \d+)?|(?:Before|After) initializing optimizer states|After initializing ZeRO optimizer)`,
    ),
  ],
  [
    "memory gpu",
    rec(
      "utils.py:(?:782|786|792|804):see_memory_usage",
      String.raw`MA ${F} GB {9}Max_MA ${F} GB {9}CA ${F} GB {9}Max_CA \d+ GB `,
    ),
  ],
  [
    "memory cpu",
    rec(
      "utils.py:(?:789|793|799|811):see_memory_usage",
      String.raw`CPU Virtual Memory:  used = ${F} GB, percent = \d+\.\d%`,
    ),
  ],
  [
    "zero12",
    rec(
      "stage_1_and_2.py:(?:133|134|135|136|146|147|148|149|150|151|152|153):__init__",
      String
        .raw`(?:Reduce bucket size 500000000|Allgather bucket size 500000000|CPU Offload: False|Round robin gradient partitioning: False)`,
    ),
  ],
  [
    "zero12 ready",
    rec("stage_1_and_2.py:(?:488|516|520|543|557):__init__", "optimizer state initialized"),
  ],
  [
    "zero3 buckets",
    rec(
      "stage3.py:(?:113|114|126|127|128|130|131|170|171):__init__",
      String.raw`(?:Reduce bucket size 500000000|Prefetch bucket size 50000000)`,
    ),
  ],
  [
    "zero3 ready",
    rec(
      "stage3.py:(?:387|448|479|486|534):_setup_for_real_optimizer",
      "optimizer state initialized",
    ),
  ],
  [
    "zero init",
    rec(
      "partition_parameters.py:(?:345|347|348|453):__exit__",
      String
        .raw`finished initializing model (?:- num_params = \d+, num_elems = \d+\.\d\dB|with \d+\.\d\dB parameters)`,
    ),
  ],
  [
    "persistent",
    bare(String.raw`Parameter Offload: Total persistent parameters: \d+ in \d+ params`),
  ],
  [
    "config header",
    rec("config.py:(?:960|967|984|997|1003):print", "DeepSpeedEngine configuration:"),
  ],
  [
    "config item",
    rec("config.py:(?:964|971|988|1001|1007):print", String.raw`  [a-z_0-9]+ (?:\.+ | )\S.*`),
  ],
  [
    "user config",
    rec("config.py:(?:950|957|974|987|993):print_user_config", String.raw`  json = \{`),
  ],
  [
    "json member",
    bare(
      String.raw` {4,}"\w+": (?:\{|true|false|null|"[^"]*"|${F}|-?\d\.\d{6}e[+-]\d\d|inf)(?:, )?`,
    ),
  ],
  ["json close", bare(String.raw` *\}(?:, )?`)],
  [
    "step",
    rank0(
      String
        .raw`step=\d+, skipped=\d+, lr=\[(${F}), \1\], mom=\[\(0\.9, 0\.95\), \(0\.9, 0\.95\)\]`,
    ),
  ],
  ["wall clock", rank0(String.raw`time \(ms\)(?: \| \w+: \d+\.\d\d)+`)],
  [
    "throughput",
    rec(
      "timer.py:(?:215|258|260|264):stop",
      String
        .raw`epoch=\d+/micro_step=\d+/global_step=\d+, RunningAvgSamplesPerSec=${F}, CurrSamplesPerSec=${F}, MemAllocated=${F}GB, MaxMemAllocated=${F}GB`,
    ),
  ],
  [
    "overflow",
    rec(
      "loss_scaler.py:(?:183|190):update_scale",
      String
        .raw`\[deepspeed\] OVERFLOW! Rank 0 Skipping step\. Attempted loss scale: \d+, (?:reducing to \d+|but hysteresis is \d+\. Reducing hysteresis to \d+)`,
    ),
  ],
  ["ckpt tag", rank0(String.raw`\[Torch\] Checkpoint global_step\d+ is about to be saved!`)],
  [
    "ckpt model",
    rank0(
      String
        .raw`Saving model checkpoint: ${PATH}/global_step\d+/(?:zero_pp_rank_\d+_)?mp_rank_00_model_states\.pt`,
    ),
  ],
  [
    "ckpt file",
    rec(
      "torch_checkpoint_engine.py:(?:21|23):save",
      String.raw`\[Torch\] Sav(?:ing ${PATH}\.pt\.\.\.|ed ${PATH}\.pt\.)`,
    ),
  ],
  [
    "ckpt zero",
    rec(
      "engine.py:(?:3244|3375|3431|3478|3701):_save_zero_checkpoint",
      String
        .raw`zero checkpoint saved ${PATH}/(?:bf16_)?zero_pp_rank_\d+_mp_rank_00_optim_states\.pt`,
    ),
  ],
  [
    "ckpt commit",
    rec(
      "torch_checkpoint_engine.py:33:commit",
      String.raw`\[Torch\] Checkpoint global_step\d+ is ready now!`,
    ),
  ],
  [
    "ckpt load",
    rec(
      "torch_checkpoint_engine.py:(?:27|29):load",
      String
        .raw`\[Torch\] Load(?:ing checkpoint from ${PATH}\.pt\.\.\.|ed checkpoint from ${PATH}\.pt\.)`,
    ),
  ],
  [
    "zero read",
    rec(
      "engine.py:(?:2824|2932|2988|3018|3241):_get_all_zero_checkpoint_state_dicts",
      String.raw`successfully read \d+ ZeRO state_dicts for rank \d+`,
    ),
  ],
  [
    "zero loaded",
    rec(
      "engine.py:(?:2774|2882|2920|2968|3191):_load_zero_checkpoint",
      String.raw`loading \d+ zero partition checkpoints for rank \d+`,
    ),
  ],
  [
    "extensions root",
    bare(
      String.raw`Using /root/\.cache/torch_extensions/py\d+_\w+ as PyTorch extensions root\.\.\.`,
    ),
  ],
  [
    "extension build",
    bare(
      String
        .raw`(?:Detected CUDA files, patching ldflags|Emitting ninja build file /root/\.cache/torch_extensions/py\d+_\w+/fused_adam/build\.ninja\.\.\.|Building extension module fused_adam\.\.\.|Allowing ninja to set a default number of workers\.\.\. \(overridable by setting the environment variable MAX_JOBS=N\)|ninja: no work to do\.|Loading extension module fused_adam\.\.\.)`,
    ),
  ],
  ["extension time", bare(String.raw`Time to load fused_adam op: ${F} seconds`)],
  [
    "script",
    bare(
      String
        .raw`(?:\*\*\*\*\* Running training \*\*\*\*\*|Beginning of Epoch \d+/\d+, Total Micro Batches \d+|\*\*\*\*\* Evaluating perplexity, Epoch \d+/\d+ \*\*\*\*\*|ppl: ${F}(?:, loss: ${F})?|saving the final model \.\.\.|Model Parameters: \d+\.\d{3} B, Latency: \d+\.\d\ds, TFLOPs: \d+\.\d\d, Samples/sec: \d+\.\d\d, Time/seq \d+\.\d\ds, Batch Size: \d+, Sequence Length: \d+)`,
    ),
  ],
  [
    "shard bars",
    bar("(?:Loading checkpoint shards|Gathering sharded weights|Saving checkpoint shards)"),
  ],
  [
    "zero_to_fp32",
    bare(
      String
        .raw`(?:Processing zero checkpoint '${PATH}/global_step\d+'|Detected checkpoint of type zero stage [123], world_size: \d+|Parsing checkpoint created by deepspeed==0\.(?:9\.5|10\.3|12\.6|14\.4|16\.9)|Reconstructed (?:Trainable )?fp32 state dict with \d+ params \d+ elements)`,
    ),
  ],
  ["nccl", bare(String.raw`[\w.-]+:\d+:\d+ \[\d+\] NCCL INFO .+`)],
  ["nccl version", bare(String.raw`[NR]CCL version \d+\.\d+\.\d+\+(?:cuda|hip)\d+\.\d+`)],
  // A worker's traceback, c10's glog lines and frame dumps, behind pdsh's prefix.
  ...workerShapes(H).map((s, i): Shape => [`worker fault ${i}`, new RegExp(`^${s}$`)]),
  // OpenMPI's mpirun when a rank dies: the abort notice, then the first process that failed.
  [
    "mpirun abort",
    /^(?:-{74}|Primary job {2}terminated normally, but 1 process returned|a non-zero exit code\. Per user-direction, the job has been aborted\.|mpirun detected that one or more processes exited with non-zero status, thus causing|the job to be terminated\. The first process to do so was:|| {2}Process name: \[\[\d+,1\],\d+\]| {2}Exit code: {4}\d+|mpirun noticed that process rank \d+ with PID \d+ on node [\w.-]+ exited on signal \d+ \((?:Aborted|Bus error|Killed|Segmentation fault|Terminated)\)\.)$/,
  ],
  // torchrun's agents (their OMP banner, a failed worker's summary, signals) and Slurm's lines.
  [
    "torchrun agent",
    new RegExp(`^(?:${faultChainSources("", String.raw`\w+\.py`).join("|")})$`),
  ],
  [
    "torchrun trace",
    /^\+ (?:torchrun --standalone --nproc_per_node=\d|srun --nodes=\d+ --ntasks-per-node=1 torchrun --nnodes=\d+ --nproc_per_node=\d --rdzv_backend=c10d --rdzv_endpoint=[\d.]+:\d+) \S+\.py( --?\w+(?: \S+)?)+$/,
  ],
  ["pdsh exit", /^pdsh@[\w.-]+: [\w.-]+: ssh exited with exit code -?\d+$/],
  [
    "slurm time limit",
    /^slurmstepd(?:-[\w.-]+)?: error: \*\*\* JOB \d+ ON [\w.-]+ CANCELLED AT \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d DUE TO TIME LIMIT \*\*\*$/,
  ],
  // llama.cpp's convert_hf_to_gguf.py: its own steps, one line per tensor, the writer's files.
  [
    "gguf converter",
    /^INFO:hf-to-gguf:(?:Loading model: \S+|Model architecture: \w+|Exporting model\.\.\.|Set meta model|Set model (?:parameters|tokenizer|quantization version)|gguf: loading model part '[\w.-]+\.safetensors'|gguf: [a-z -]+ = [\w.+-]+|[\w.]+, +torch\.\w+ --> \w+, shape = \{\d+(?:, \d+)*\}|Model successfully exported to \S+)$/,
  ],
  [
    "gguf writer",
    /^(?:INFO:gguf\.gguf_writer:(?:gguf: This GGUF file is for Little Endian only|Writing the following files:|\S+: n_tensors = \d+, total_size = [\d.]+G)|Writing: 100%\|██████████\| \S+\/\S+ \[\d\d:\d\d<00:00, \S+byte\/s\])$/,
  ],
  [
    "gguf vocab",
    /^INFO:gguf\.vocab:(?:Adding \d+ merge\(s\)\.|Setting special token type [a-z]+ to \d+|Setting add_[a-z]+_token to (?:True|False))$/,
  ],
];

/** The first shape a line has (the job's GPU tools included), or undefined. */
export function shapeOf(line: string): string | undefined {
  return [...DEEPSPEED_SHAPES, ...GPU_MONITOR_SHAPES].find(([, re]) => re.test(line))?.[0];
}

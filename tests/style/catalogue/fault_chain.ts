/**
 * The line shapes of a job's fault chain and early endings as torch, torchrun and Slurm print
 * them (src/style/fault_lines.ts), for any style: a worker's traceback behind torch's `[rankN]: `
 * and the launcher's own prefix, its CUDA error or out-of-memory message, c10's glog lines and
 * C++ frame dumps, torchrun's agent records, its traceback and ChildFailedError summary, srun's
 * and slurmstepd's lines. Written from the tools' formats.
 */

const NUM = String.raw`[\d,]+(?:\.\d+)?`;
/** torchrun's glog head (2.4+): `W1124 09:00:00.970000 35412 site-packages/torch/...py:N] `. */
export const AGENT_GLOG = String
  .raw`[WEI]\d{4} \d\d:\d\d:\d\d\.\d{3}000 \d+ (?:site-packages/)?torch/distributed/[\w/]+\.py:\d+\] `;
const C10 = String.raw`\[[EW]\d{4} \d\d:\d\d:\d\d\.\d{9} ProcessGroupNCCL\.cpp:\d+\] `;
const IP = String.raw`\d+\.\d+\.\d+\.\d+`;
/** The lines after NCCL's `remote process exited` message: its code, `Last error:`, the IB error. */
export const NCCL_REMOTE =
  String.raw`(?:ncclRemoteError: A call failed possibly due to a network ` +
  String.raw`error or a remote process exiting prematurely\.|Last error:|NET/IB : Got completion ` +
  String
    .raw`from peer ${IP}<\d+> with (?:status=12 opcode=\d+ len=0 vendor err 129 \((?:Send|Recv)\) ` +
  String
    .raw`localGid ::ffff:${IP} remoteGids? ?::ffff:${IP}|error 12, opcode 0, len 0, vendor err 129))`;

/** torchrun's agent messages, after its glog head (the banner's first line is empty). */
export const AGENT_MESSAGES = [
  "",
  String.raw`\*{41}`,
  String
    .raw`Setting OMP_NUM_THREADS environment variable for each process to be 1 in default, to avoid your system being overloaded, please further tune the variable for optimal performance in your application as needed\. `,
  String.raw`Sending process \d+ closing signal SIG(?:TERM|INT)`,
  String.raw`failed \(exitcode: -?\d+\) local_rank: \d+ \(pid: \d+\) of binary: \S+`,
  String.raw`Received Signals\.SIG(?:INT|TERM) death signal, shutting down workers`,
];

/** A worker's own output behind the launcher's prefix `tee` (a regex; "" for none). */
export function workerShapes(tee: string, rank = String.raw`\[rank\d+\]: `): string[] {
  return [...workerCore(tee, rank), ...crashShapes(tee, rank)];
}

/**
 * A crash outside CUDA (src/style/crash_faults.ts): the chained RuntimeError of a DataLoader
 * worker lost to SIGBUS or the OOM killer and the worker's own shm message (torch's
 * DataLoader.cpp), torch.save's PytorchStreamWriter errors on a full disk (inline_container.cc),
 * and faulthandler's dump of a segmentation fault (CPython's faulthandler.c and pylifecycle.c).
 */
export function crashShapes(tee: string, rank = String.raw`\[rank\d+\]: `): string[] {
  return [
    String
      .raw`${tee}${rank}RuntimeError: DataLoader worker \(pid \d+\) is killed by signal: (?:Killed\. |Bus error\. It is possible that dataloader's workers are out of shared memory\. Please try to raise your shared memory limit\.)`,
    String
      .raw`${tee}${rank}RuntimeError: DataLoader worker \(pid\(s\) \d+(?:, \d+)*\) exited unexpectedly`,
    String
      .raw`${tee}${rank}(?:The above exception was the direct cause of the following exception:|During handling of the above exception, another exception occurred:)`,
    String
      .raw`${tee}${rank}RuntimeError: \[enforce fail at inline_container\.cc:\d+\] \. (?:PytorchStreamWriter failed writing file [\w/.]+: file write failed|unexpected pos \d+ vs \d+)`,
    String
      .raw`${tee}ERROR: Unexpected bus error encountered in worker\. This might be caused by insufficient shared memory \(shm\)\.`,
    String.raw`${tee}Fatal Python error: Segmentation fault`,
    String.raw`${tee}(?:Current thread|Thread) 0x[0-9a-f]{16} \(most recent call first\):`,
    String.raw`${tee}  File "[^"]+", line \d+ in (?:\w+|<module>)`,
    String.raw`${tee}Extension modules: [\w.]+(?:, [\w.]+)* \(total: \d+\)`,
  ];
}

/** A worker's traceback, the watchdog's record and C++ frame dumps behind `tee`. */
function workerCore(tee: string, rank: string): string[] {
  return [
    String.raw`${tee}${rank}Traceback \(most recent call last\):`,
    String.raw`${tee}${rank}  File "[^"]+", line \d+, in \S+`,
    String.raw`${tee}${rank}    \S.*`,
    String.raw`${tee}${rank}     *[\^~]+`,
    String
      .raw`${tee}${rank}(?:RuntimeError|torch\.AcceleratorError): (?:CUDA|HIP) error: [a-zA-Z ]+`,
    String
      .raw`${tee}${rank}torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate ${NUM} [KMG]iB\. GPU \d has a total capacity of ${NUM} GiB of which ${NUM} [KMG]iB is free\. (?:Including non-PyTorch memory, this process|Process \d+) has ${NUM} GiB memory in use\. Of the allocated memory ${NUM} GiB is allocated by PyTorch, and ${NUM} [KMG]iB is reserved by PyTorch but unallocated\. If reserved but unallocated memory is large try setting PYTORCH_(?:CUDA_)?ALLOC_CONF=expandable_segments:True to avoid fragmentation\.  See documentation for Memory Management  \(https://pytorch\.org/docs/stable/notes/cuda\.html#environment-variables\)`,
    String.raw`${tee}${rank}KeyboardInterrupt`,
    String
      .raw`${tee}(?:${rank})?(?:(?:CUDA|HIP) kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect\.|For debugging consider passing (?:CUDA_LAUNCH_BLOCKING=1|AMD_SERIALIZE_KERNEL=3)|Compile with \`TORCH_USE_(?:CUDA|HIP)_DSA\` to enable device-side assertions\.|Search for \`cudaError\w+' in https://docs\.nvidia\.com/cuda/cuda-runtime-api/group__CUDART__TYPES\.html for more information\.)`,
    String.raw`${tee}\[rank\d+\]:${C10}.+`,
    // NCCL's remote error as the watchdog's exception carries it (a failed InfiniBand link).
    String.raw`${tee}${NCCL_REMOTE}`,
    String.raw`${tee}Exception raised from \w+ at \S+:\d+ \(most recent call first\):`,
    String.raw`${tee}frame #\d+: .+ \+ 0x[0-9a-f]+ \(0x[0-9a-f]+ in \S+\)`,
    String.raw`${tee}terminate called after throwing an instance of 'c10::\w+'`,
    String.raw`${tee}  what\(\):  .+`,
    tee,
  ];
}

/** torchrun's own traceback and its error summary naming `entry` (a regex). */
export function summaryShapes(entry: string): string[] {
  return [
    String.raw`Traceback \(most recent call last\):`,
    String.raw`  File "[^"]+", line \d+, in \S+`,
    String.raw`    \S.*`,
    String.raw` +\^+`,
    String.raw`torch\.distributed\.elastic\.multiprocessing\.errors\.ChildFailedError: `,
    String
      .raw`torch\.distributed\.elastic\.multiprocessing\.api\.SignalException: Process \d+ got signal: (?:2|15)`,
    String.raw`={20,60}`,
    String.raw`-{20,60}`,
    String.raw`${entry} FAILED`,
    "Failures:",
    "  <NO_OTHER_FAILURES>",
    String.raw`Root Cause \(first observed failure\):`,
    String.raw`\[\d+\]:`,
    String.raw`  time      : \d{4}-\d\d-\d\d_\d\d:\d\d:\d\d`,
    String.raw`  host      : [\w.-]+`,
    String.raw`  rank      : \d+ \(local_rank: \d+\)`,
    String.raw`  exitcode  : -?\d+ \(pid: \d+\)`,
    String
      .raw`  error_file: (?:<N/A>|/tmp/torchelastic_\w{8}/none_\w{8}/attempt_0/\d+/error\.json)`,
    String
      .raw`  traceback : (?:Signal \d+ \(SIG[A-Z]+\) received by PID \d+|To enable traceback see: https://pytorch\.org/docs/stable/elastic/errors\.html|Traceback \(most recent call last\):)`,
    // A recorded traceback's own lines, indented two more.
    String.raw`      \S.*`,
    String.raw`      +\^+`,
    String.raw`  (?:RuntimeError|torch\.AcceleratorError|torch\.OutOfMemoryError): .+`,
    String
      .raw`  (?:CUDA kernel errors|HIP kernel errors|For debugging consider|Compile with|Search for) .+`,
  ];
}

/** srun's and slurmstepd's lines when the cgroup's OOM killer took a task (older, newer Slurm). */
const SLURM_OOM_SHAPES = [
  String.raw`srun: error: [\w.-]+: task \d+: Out Of Memory`,
  String
    .raw`slurmstepd: error: Detected \d+ (?:oom_kill events? in StepId=\d+\.\d+\. Some of the step tasks have been OOM Killed\.|oom-kill event\(s\) in StepId=\d+\.\d+\. Some of your processes may have been killed by the cgroup out-of-memory handler\.)`,
];

/** srun's and slurmstepd's own lines. */
export const SLURM_SHAPES = [
  String.raw`srun: error: [\w.-]+: task \d+: Exited with exit code \d+`,
  String.raw`srun: Job step aborted: Waiting up to \d+ seconds for job step to finish\.`,
  String
    .raw`slurmstepd(?:-[\w.-]+)?: error: \*\*\* (?:STEP \d+\.\d+|JOB \d+) ON [\w.-]+ CANCELLED AT \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d DUE TO TIME LIMIT \*\*\*`,
];

/**
 * Every line of the chain for a style whose launcher puts `tee` (a regex) before each worker
 * line and names `entry` as its entry point, anchored.
 */
export function faultChainShapes(tee: string, entry: string): RegExp[] {
  return faultChainSources(tee, entry).map((s) => new RegExp(`^${s}$`));
}

/** The chain's shapes as regex sources, unanchored (to combine with a style's own). */
export function faultChainSources(tee: string, entry: string): string[] {
  return [
    ...AGENT_MESSAGES.map((m) => `${AGENT_GLOG}${m}`),
    ...workerShapes(tee),
    ...summaryShapes(entry),
    ...SLURM_SHAPES,
    ...SLURM_OOM_SHAPES,
  ];
}

/** The chain's shapes by name, for catalogues keyed by kind of line (`tee` and `entry` regexes). */
export function namedFaultChain(tee: string, entry: string): Record<string, RegExp> {
  const anchored = (xs: string[]) => new RegExp(`^(?:${xs.join("|")})$`);
  const [banner, stars, omp, ...records] = AGENT_MESSAGES;
  const worker = workerCore(tee, String.raw`\[rank\d+\]: `);
  return {
    "omp banner": anchored([banner, stars, omp].map((m) => `${AGENT_GLOG}${m}`)),
    "torchrun record (glog)": anchored(records.map((m) => `${AGENT_GLOG}${m}`)),
    "worker traceback": anchored(worker.slice(0, 8)),
    // A process without a process group: a plain traceback.
    "plain traceback": anchored(workerCore("", "").slice(0, 8)),
    "crash report": anchored(crashShapes(tee)),
    "plain crash report": anchored(crashShapes("", "")),
    "watchdog record": anchored(worker.slice(8, 9)),
    "c++ frames": anchored(worker.slice(9)),
    "ChildFailedError": anchored(summaryShapes(entry).slice(4, 5)),
    "launcher traceback": anchored([
      ...summaryShapes(entry).slice(0, 4),
      ...summaryShapes(entry).slice(5, 6),
    ]),
    "report": anchored(summaryShapes(entry).slice(6)),
    "srun exit": anchored(SLURM_SHAPES.slice(0, 1)),
    "slurm time limit": anchored(SLURM_SHAPES.slice(1)),
    "slurm oom kill": anchored(SLURM_OOM_SHAPES),
  };
}

/**
 * What a dying worker process prints, in the run's torch version: the failing rank's Python
 * traceback (CUDA error or out-of-memory), the NCCL watchdog's C++ messages and frame dumps on
 * the ranks that hang, and c10's `terminate called after throwing ...`. Lines carry torch's own
 * `[rankN]:` prefix; a launcher's prefix (`--tee`) goes in front through the view.
 */
import type { LogEventOf, LogFacts } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { rankClockMs } from "./ranks.ts";
import { type PyFrame, pyTraceback } from "./tracebacks.ts";
import { pythonMinor, torchAtLeast, torchSource } from "./torch_source.ts";
import { c10Head, cudaErrorCpp, ncclErrorCpp, watchdogCpp } from "./torch_cpp.ts";
import { hostAddr } from "../sim/names.ts";
import { hashUnit } from "../sim/rng.ts";
import { ncclMinor } from "./nccl_version.ts";
import type { CudaErrorKind } from "../sim/facts.ts";
import { formatTorchSize } from "./torch_sizes.ts";
import { defaultFrames } from "./torch_frames.ts";
import type { FrameSite } from "./torch_sites.ts";

/** How a style shows one rank's output: the launcher's prefix, and whether it shows at all. */
export interface FaultView {
  /** Prefix the launcher puts on the rank's lines (`[default3]:`, `[rank0]:`, "" for none). */
  tee: (rank: number) => string;
  /** False for ranks whose output the launcher filters out (`--local-ranks-filter`). */
  shows: (rank: number) => boolean;
  /** The training script's frames down to the failing call (default: a plain train.py). */
  frames?: (cfg: RunConfig, site: FrameSite) => PyFrame[];
  /**
   * The job is one plain `python` process: no process group (so no `[rankN]: ` prefix, no
   * watchdog thread, no destructor warning) and no launcher.
   */
  single?: boolean;
}

const CUDA_TEXT = {
  ecc_uncorrectable: ["uncorrectable ECC error encountered", "cudaErrorECCUncorrectable"],
  unknown: ["unknown error", "cudaErrorUnknown"],
  illegal_address: ["an illegal memory access was encountered", "cudaErrorIllegalAddress"],
  launch_failure: ["unspecified launch failure", "cudaErrorLaunchFailure"],
} as const;

/** The CUDA error a fault raises ("net_ib" raises none: NCCL's watchdog aborts instead). */
function errorOf(d: LogFacts["fault.cuda"]): CudaErrorKind {
  return d.error ?? (d.ecc ? "ecc_uncorrectable" : "launch_failure");
}

/**
 * NCCL's completion error for a failed InfiniBand link, as its IB transport words it in the
 * run's version: the peer across the link, the work request's status and the HCA's vendor code.
 */
export function ibCompletion(cfg: RunConfig, rank: number): string {
  const node = Math.floor(rank / cfg.gpusPerNode);
  const other = cfg.nodes > 1 ? (node + 1 + (rank % (cfg.nodes - 1))) % cfg.nodes : node;
  const self = hostAddr(cfg.cluster, node), peer = hostAddr(cfg.cluster, other);
  const port = 32768 + Math.floor(hashUnit(cfg.seed, rank * 13 + 5) * 28000);
  const minor = ncclMinor(cfg), dir = rank % 3 === 0 ? "Send" : "Recv";
  if (minor < 19) {
    return `NET/IB : Got completion from peer ${peer}<${port}> with error 12, opcode 0, len 0, vendor err 129`;
  }
  const op = dir === "Send" ? 1 : [0, 129, 32616][rank % 3];
  const gids = minor >= 23
    ? `localGid ::ffff:${self} remoteGids::ffff:${peer}`
    : `localGid ::ffff:${self} remoteGid ::ffff:${peer}`;
  return `NET/IB : Got completion from peer ${peer}<${port}> with status=12 opcode=${op} len=0 ` +
    `vendor err 129 (${dir}) ${gids}`;
}

/** NCCL's remote error as torch words it (the exception's lines). */
export function ncclRemoteErrorText(cfg: RunConfig, rank: number): string[] {
  const version = cfg.cluster.ncclVersion.split("+")[0];
  return [
    `NCCL error: remote process exited or there was a network error, NCCL version ${version}`,
    "ncclRemoteError: A call failed possibly due to a network error or a remote process " +
    "exiting prematurely.",
    "Last error:",
    ibCompletion(cfg, rank),
  ];
}

/** The failing rank's watchdog abort: on its CUDA error, or on NCCL's error for a dead link. */
export function failingWatchdogCpp(
  cfg: RunConfig,
  d: LogFacts["fault.cuda"],
  pid: number,
  clockMs: number,
): string[] {
  const error = errorOf(d);
  if (error === "net_ib") {
    return ncclErrorCpp(cfg, d.rank, pid, clockMs, ncclRemoteErrorText(cfg, d.rank));
  }
  return cudaErrorCpp(cfg, d.rank, pid, clockMs, cudaErrorText(cfg, error));
}

/** The text of a CUDA error as torch raises it (message, then its advice lines). */
export function cudaErrorText(cfg: RunConfig, error: keyof typeof CUDA_TEXT): string[] {
  const [text, name] = CUDA_TEXT[error];
  // ROCm builds of torch word the same checks in HIP's terms.
  const hip = cfg.gpu.vendor === "amd", api = hip ? "HIP" : "CUDA";
  const search = torchAtLeast(cfg, 8) && !hip
    ? [
      `Search for \`${name}' in https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART__TYPES.html for more information.`,
    ]
    : [];
  return [
    `${api} error: ${text}`,
    ...search,
    `${api} kernel errors might be asynchronously reported at some other API call, so the ` +
    "stacktrace below might be incorrect.",
    `For debugging consider passing ${hip ? "AMD_SERIALIZE_KERNEL=3" : "CUDA_LAUNCH_BLOCKING=1"}`,
    `Compile with \`TORCH_USE_${api}_DSA\` to enable device-side assertions.`,
  ];
}

/**
 * Lines of a rank's uncaught Python exception: torch's excepthook puts `[rankN]: ` before every
 * non-empty line; the launcher's prefix goes before all of them.
 */
export function pyLines(view: FaultView, rank: number, lines: string[]): string[] {
  if (view.single) return lines;
  return lines.map((l) => `${view.tee(rank)}${l === "" ? "" : `[rank${rank}]: ${l}`}`);
}

/** The failing rank's CUDA error: its Python traceback, then the watchdog thread's abort. */
export function cudaErrorLines(
  ev: LogEventOf<"fault.cuda">,
  cfg: RunConfig,
  view: FaultView,
): string {
  const d = ev.data;
  if (!view.shows(d.rank)) return "";
  const error = errorOf(d);
  if (error === "net_ib") {
    // The main thread waits on the collective; only the watchdog sees the error, and aborts.
    if (view.single) return "";
    const clock = rankClockMs(cfg, d.rank, ev.simMs, 32, 5);
    return failingWatchdogCpp(cfg, d, d.pid ?? 0, clock).map((l) => prefixCpp(view, d.rank, l))
      .join("\n");
  }
  const kind = torchAtLeast(cfg, 8) ? "torch.AcceleratorError" : "RuntimeError";
  const [first, ...advice] = cudaErrorText(cfg, error);
  const frames = (view.frames ?? defaultFrames)(cfg, d.site ?? "backward");
  const tb = pyTraceback(
    frames,
    [`${kind}: ${first}`, ...advice].join("\n"),
    pythonMinor(cfg) >= 11,
  );
  if (view.single) return tb.join("\n");
  const clock = rankClockMs(cfg, d.rank, ev.simMs, 32, 5);
  const cpp = cudaErrorCpp(cfg, d.rank, d.pid ?? 0, clock, cudaErrorText(cfg, error));
  return [...pyLines(view, d.rank, [...tb, ""]), ...cpp.map((l) => prefixCpp(view, d.rank, l))]
    .join("\n");
}

/** A C++ line: torch's glog lines carry `[rankN]:`, raw stderr lines nothing of their own. */
export function cppLine(rank: number, line: string): string {
  return line.startsWith("[") && /^\[[EWI]\d{4} /.test(line) ? `[rank${rank}]:${line}` : line;
}

/** A C++ line behind the launcher's prefix. */
function prefixCpp(view: FaultView, rank: number, line: string): string {
  return `${view.tee(rank)}${cppLine(rank, line)}`;
}

/** The message of torch.OutOfMemoryError, from the allocator's figures. */
export function oomMessage(cfg: RunConfig, d: LogFacts["fault.oom"]): string {
  const gib = 1024 ** 3, local = d.rank % cfg.gpusPerNode;
  const size = (x: number) => formatTorchSize(x * gib);
  // Which wording depends on whether the process can see its own use (NVML inside a container).
  const held = d.rank % 2 === 0
    ? `Including non-PyTorch memory, this process has ${size(d.in_use_gib ?? 0)} memory in use.`
    : `Process ${d.pid} has ${size(d.in_use_gib ?? 0)} memory in use.`;
  const conf = torchAtLeast(cfg, 9) ? "PYTORCH_ALLOC_CONF" : "PYTORCH_CUDA_ALLOC_CONF";
  return `torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ${size(d.request_gib)}. ` +
    `GPU ${local} has a total capacity of ${size(d.capacity_gib ?? cfg.gpu.memMiB / 1024)} of ` +
    `which ${size(d.free_gib)} is free. ${held} Of the allocated memory ` +
    `${size(d.allocated_gib ?? 0)} is allocated by PyTorch, and ${size(d.reserved_gib ?? 0)} ` +
    `is reserved by PyTorch but unallocated. If reserved but unallocated memory is large try ` +
    `setting ${conf}=expandable_segments:True to avoid fragmentation.  See documentation for ` +
    "Memory Management  (https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)";
}

/** The out-of-memory: the Python traceback ending in torch.OutOfMemoryError, then the PG warning. */
export function oomLines(ev: LogEventOf<"fault.oom">, cfg: RunConfig, view: FaultView): string {
  const d = ev.data;
  if (!view.shows(d.rank)) return "";
  const frames = (view.frames ?? defaultFrames)(cfg, d.site ?? "forward");
  const tb = pyTraceback(frames, oomMessage(cfg, d), pythonMinor(cfg) >= 11);
  if (view.single) return tb.join("\n");
  return [...pyLines(view, d.rank, tb), ...notDestroyed(ev.simMs, cfg, d.rank, view)].join("\n");
}

/** The exception a CUDA error raises in the worker's Python (message and advice lines). */
export function cudaException(cfg: RunConfig, d: LogFacts["fault.cuda"]): string {
  const error = errorOf(d);
  if (error === "net_ib") {
    return `torch.distributed.DistBackendError: ${ncclRemoteErrorText(cfg, d.rank).join("\n")}`;
  }
  const kind = torchAtLeast(cfg, 8) ? "torch.AcceleratorError" : "RuntimeError";
  const [first, ...advice] = cudaErrorText(cfg, error);
  return [`${kind}: ${first}`, ...advice].join("\n");
}

/** The text of torch ≥2.4's warning when a process exits with its process group alive. */
export function notDestroyedText(cfg: RunConfig): string {
  if (torchAtLeast(cfg, 7)) {
    return "WARNING: destroy_process_group() was not called before program exit, which can " +
      "leak resources. For more info, please see " +
      "https://pytorch.org/docs/stable/distributed.html#shutdown (function operator())";
  }
  return "WARNING: process group has NOT been destroyed before we destruct ProcessGroupNCCL. " +
    "On normal program exit, the application should call destroy_process_group to ensure that " +
    "any pending NCCL operations have finished in this process. In rare cases this process can " +
    "exit before this point and block the progress of another member of the process group. " +
    "This constraint has always been present,  but this warning has only been added since " +
    "PyTorch 2.4 (function operator())";
}

/** That warning as `rank`'s ProcessGroupNCCL destructor logs it at `clockMs` (rank's clock). */
export function notDestroyedLine(cfg: RunConfig, rank: number, clockMs: number): string {
  const line = torchSource(cfg).pg.notDestroyed;
  const head = c10Head("W", clockMs, rank * 7 + 3, `ProcessGroupNCCL.cpp:${line}`);
  return `[rank${rank}]:${head}Warning: ${notDestroyedText(cfg)}`;
}

/** torch ≥2.4's warning at exit when the process group was never destroyed. */
export function notDestroyed(
  simMs: number,
  cfg: RunConfig,
  rank: number,
  view: FaultView,
): string[] {
  const clock = rankClockMs(cfg, rank, simMs + 700, 33, 300);
  return [`${view.tee(rank)}${notDestroyedLine(cfg, rank, clock)}`];
}

/** A hung rank's NCCL watchdog: the timeout, the PG status, the abort and its frame dumps. */
export function watchdogLines(
  ev: LogEventOf<"fault.watchdog">,
  cfg: RunConfig,
  view: FaultView,
): string {
  const d = ev.data;
  if (!view.shows(d.rank)) return "";
  const clock = rankClockMs(cfg, d.rank, ev.simMs, 34, 3);
  return watchdogCpp(cfg, d, clock).map((l) => prefixCpp(view, d.rank, l)).join("\n");
}

/**
 * A GPU lost mid-step, as the ranks of the first node print it under Lightning: the failing
 * rank's NCCL watchdog thread dies on the CUDA error, and after the collective timeout every
 * other rank's watchdog reports the stuck collective and takes its process down. These are
 * c10's own lines (`[rankN]:[E<mdd> <time>.<ns> ProcessGroupNCCL.cpp:<line>]`) and the C++
 * `terminate` output with its frames, in the layout of the run's torch release.
 */
import { hashString, type Rng } from "../sim/rng.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { interleave } from "./ranks.ts";

/** Source lines and frame offsets of one torch build's ProcessGroupNCCL. */
interface TorchBuild {
  caught: number;
  failure: number;
  noTrace: number;
  some: number;
  avoid: number;
  terminated: number;
  checkTimeout: number;
  commWatchdog: number;
  /** Flight-recorder dump lines (2.6 on): [first PG, dump signal, preparing]. */
  dump: [number, number, number] | null;
  errorCtor: string;
  checkTimeoutOffset: string;
  handlerOffset: string;
  /** ncclCommWatchdog's caller inside libtorch_cuda, which has no symbol. */
  commWatchdogFrame: string;
  /** The thread entry's frames below ncclCommWatchdog: [symbol + offset, library]. */
  threadFrames: Array<[string, string]>;
}

const OLD: TorchBuild = {
  caught: 629,
  failure: 2168,
  noTrace: 667,
  some: 681,
  avoid: 695,
  terminated: 1895,
  checkTimeout: 632,
  commWatchdog: 1901,
  dump: null,
  errorCtor: "c10::Error::Error(c10::SourceLocation, std::string) + 0x96",
  checkTimeoutOffset: "0x2b4",
  handlerOffset: "0x890",
  commWatchdogFrame: "<unknown function> + 0xe5c6fc",
  threadFrames: [
    ["<unknown function> + 0x145c0", "torch/lib/libtorch.so"],
    ["<unknown function> + 0x9caa4", "/lib/x86_64-linux-gnu/libc.so.6"],
    ["<unknown function> + 0x129c6c", "/lib/x86_64-linux-gnu/libc.so.6"],
  ],
};

const NEW: TorchBuild = {
  caught: 632,
  failure: 2271,
  noTrace: 670,
  some: 684,
  avoid: 698,
  terminated: 1899,
  checkTimeout: 635,
  commWatchdog: 1905,
  dump: [2106, 1746, 1536],
  errorCtor: "c10::Error::Error(c10::SourceLocation, std::__cxx11::basic_string<char, " +
    "std::char_traits<char>, std::allocator<char> >) + 0x98",
  checkTimeoutOffset: "0x23d",
  handlerOffset: "0xc80",
  commWatchdogFrame: "<unknown function> + 0x11c8f8e",
  threadFrames: [
    ["<unknown function> + 0xd8198", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6"],
    ["<unknown function> + 0x94ac3", "/usr/lib/x86_64-linux-gnu/libc.so.6"],
    ["<unknown function> + 0x126850", "/usr/lib/x86_64-linux-gnu/libc.so.6"],
  ],
};

function buildOf(cfg: RunConfig): TorchBuild {
  const minor = Number(cfg.cluster.torchVersion.split(".")[1]);
  return minor >= 6 ? NEW : OLD;
}

/** c10's log stamp: month unpadded, day padded, nanoseconds (`ns` past the millisecond). */
export function c10Stamp(simMs: number, ns: number): string {
  const ms = Math.floor(simMs);
  const total = (ms % 1000) * 1e6 + Math.floor(ns);
  const d = new Date(ms - (ms % 1000) + Math.floor(total / 1e9) * 1000);
  const two = (v: number) => String(v).padStart(2, "0");
  return `${d.getUTCMonth() + 1}${two(d.getUTCDate())} ${two(d.getUTCHours())}:` +
    `${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(total % 1e9).padStart(9, "0")}`;
}

/** One process: its libraries loaded at addresses of their own (ASLR). */
interface Process {
  base: Map<string, bigint>;
  rng: Rng;
  site: string;
}

function libraryBase(p: Process, lib: string): bigint {
  let base = p.base.get(lib);
  if (base === undefined) {
    base = (BigInt(p.rng.int(0x7e00, 0x7fff)) << 32n) | (BigInt(p.rng.int(0, 0xfffff)) << 12n);
    p.base.set(lib, base);
  }
  return base;
}

/** A frame's address: the library's base, the symbol's place in it (same in every process of
 * one build) and the offset into the symbol. */
function address(p: Process, lib: string, symbol: string): string {
  const plus = symbol.lastIndexOf("+ 0x");
  const offset = BigInt(symbol.slice(plus + 2));
  const named = !symbol.startsWith("<unknown function>") && !symbol.startsWith("clone");
  const start = named ? BigInt(hashString(symbol.slice(0, plus)) % 0x3fffff) * 16n : 0n;
  return `0x${(libraryBase(p, lib) + start + offset).toString(16)}`;
}

function frames(p: Process, list: Array<[string, string]>): string[] {
  return list.map(([symbol, lib], i) => {
    const path = lib.startsWith("/") ? lib : `${p.site}/${lib}`;
    return `frame #${i}: ${symbol} (${address(p, lib, symbol)} in ${path})`;
  });
}

const SRC = "/pytorch/torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp";

function watchdogFrames(b: TorchBuild, p: Process): string[] {
  return frames(p, [
    [b.errorCtor, "torch/lib/libc10.so"],
    [
      "c10d::ProcessGroupNCCL::WorkNCCL::checkTimeout(std::optional<std::chrono::duration<long, " +
      `std::ratio<1l, 1000l> > >) + ${b.checkTimeoutOffset}`,
      "torch/lib/libtorch_cuda.so",
    ],
    [
      `c10d::ProcessGroupNCCL::watchdogHandler() + ${b.handlerOffset}`,
      "torch/lib/libtorch_cuda.so",
    ],
    ["c10d::ProcessGroupNCCL::ncclCommWatchdog() + 0x14d", "torch/lib/libtorch_cuda.so"],
    ...b.threadFrames,
  ]);
}

/** What the collective that hung looked like on every rank. */
export interface StuckCollective {
  seq: number;
  numel: number;
  /** Milliseconds each rank's watchdog saw it run, in rank order. */
  ranMs: number[];
  timeoutMs: number;
}

/**
 * One surviving rank's watchdog report and abort as the writes it makes: each c10 log record
 * and each part of the terminate handler's output is written whole, so ranks mix record by
 * record.
 */
function survivorRecords(
  cfg: RunConfig,
  rank: number,
  c: StuckCollective,
  simMs: number,
  p: Process,
): string[] {
  const b = buildOf(cfg);
  let ns = p.rng.int(100000, 900000);
  const head = (line: number) =>
    `[rank${rank}]:[E${c10Stamp(simMs, ns += p.rng.int(9000, 90000))} ` +
    `ProcessGroupNCCL.cpp:${line}] `;
  const pg = `[PG ID 0 PG GUID 0(default_pg) Rank ${rank}]`;
  const caught = `[Rank ${rank}] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=` +
    `${c.seq}, OpType=ALLREDUCE, NumelIn=${c.numel}, NumelOut=${c.numel}, Timeout(ms)=` +
    `${c.timeoutMs}) ran for ${c.ranMs[rank]} milliseconds before timing out.`;
  const enqueued = c.seq + p.rng.int(1, 6);
  const records = [
    head(b.caught) + caught,
    head(b.failure) + `${pg}  failure detected by watchdog at work sequence id: ${c.seq} PG ` +
    `status: last enqueued work: ${enqueued}, last completed work: ${c.seq - 1}`,
    head(b.noTrace) + "Stack trace of the failed collective not found, potentially because " +
    "FlightRecorder is disabled. You can enable it by setting TORCH_NCCL_TRACE_BUFFER_SIZE to a " +
    "non-zero value.",
  ];
  if (b.dump) records.push(head(b.dump[0]) + `${pg} First PG on this rank to signal dumping.`);
  const timedOut = `${pg} Process group watchdog thread terminated with exception: ${caught}`;
  const stack = [
    `Exception raised from checkTimeout at ${SRC}:${b.checkTimeout} (most recent call first):`,
    ...watchdogFrames(b, p),
    "",
  ].join("\n");
  const commWatchdog = [
    `Exception raised from ncclCommWatchdog at ${SRC}:${b.commWatchdog} (most recent call first):`,
    ...frames(p, [
      [b.errorCtor, "torch/lib/libc10.so"],
      [b.commWatchdogFrame, "torch/lib/libtorch_cuda.so"],
      ...b.threadFrames,
    ]),
    "",
  ].join("\n");
  records.push(
    head(b.some) + `[Rank ${rank}] Some NCCL operations have failed or timed out. Due to the ` +
      "asynchronous nature of CUDA kernels, subsequent GPU operations might run on " +
      "corrupted/incomplete data.",
    head(b.avoid) + `[Rank ${rank}] To avoid data inconsistency, we are taking the entire ` +
      "process down.",
    `${head(b.terminated)}${timedOut}\n${stack}`,
    "terminate called after throwing an instance of 'c10::DistBackendError'",
    `  what():  ${timedOut}\n${stack}\n${commWatchdog}`,
  );
  return records;
}

/** The failing rank's watchdog thread dying on the CUDA error. */
export function failingRankLines(
  cfg: RunConfig,
  rank: number,
  ecc: boolean,
  simMs: number,
  rng: Rng,
  site: string,
): string {
  const b = buildOf(cfg);
  const p: Process = { base: new Map(), rng, site };
  const error = ecc ? "uncorrectable ECC error encountered" : "unspecified launch failure";
  const hints = [
    "CUDA kernel errors might be asynchronously reported at some other API call, so the " +
    "stacktrace below might be incorrect.",
    "For debugging consider passing CUDA_LAUNCH_BLOCKING=1",
    "Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.",
    "",
  ];
  const pg = `[PG ID 0 PG GUID 0(default_pg) Rank ${rank}]`;
  const msg = `${pg} Process group watchdog thread terminated with exception: CUDA error: ${error}`;
  const raised = "Exception raised from c10_cuda_check_implementation at " +
    "/pytorch/c10/cuda/CUDAException.cpp:43 (most recent call first):";
  const stack = frames(p, [
    [b.errorCtor, "torch/lib/libc10.so"],
    [
      "c10::cuda::c10_cuda_check_implementation(int, char const*, char const*, int, bool) + 0x3b8",
      "torch/lib/libc10_cuda.so",
    ],
    [
      "c10d::ProcessGroupNCCL::WorkNCCL::finishedGPUExecutionInternal() const + 0x50",
      "torch/lib/libtorch_cuda.so",
    ],
    ["c10d::ProcessGroupNCCL::WorkNCCL::isCompleted() + 0x58", "torch/lib/libtorch_cuda.so"],
    [
      `c10d::ProcessGroupNCCL::watchdogHandler() + ${b.handlerOffset}`,
      "torch/lib/libtorch_cuda.so",
    ],
    ["c10d::ProcessGroupNCCL::ncclCommWatchdog() + 0x14d", "torch/lib/libtorch_cuda.so"],
    ...b.threadFrames,
  ]);
  const stamp = c10Stamp(simMs, rng.int(100000, 999999));
  return [
    `[rank${rank}]:[E${stamp} ProcessGroupNCCL.cpp:${b.terminated}] ${msg}`,
    ...hints,
    raised,
    ...stack,
    "",
    "terminate called after throwing an instance of 'c10::DistBackendError'",
    `  what():  ${msg}`,
    ...hints,
    raised,
    ...stack,
    "",
  ].map((l) => `${l}\n`).join("");
}

/** Every surviving rank of the first node, their lines mixed as concurrent writers mix them. */
export function survivorsText(
  cfg: RunConfig,
  ranks: number[],
  c: StuckCollective,
  simMs: number,
  rng: Rng,
  site: string,
): string {
  const blocks = ranks.map((r) =>
    survivorRecords(cfg, r, c, simMs + rng.int(0, 40), { base: new Map(), rng, site })
  );
  return interleave(blocks, rng).map((record) => `${record}\n`).join("");
}

/**
 * A GPU lost mid-step, as the ranks of the first node print it under Lightning: the failing
 * rank's NCCL watchdog thread dies on the CUDA error, and after the collective timeout every
 * other rank's watchdog reports the stuck collective and takes its process down. These are
 * c10's own lines (`[rankN]:[E<mdd> <time>.<ns> ProcessGroupNCCL.cpp:<line>]`) and the C++
 * `terminate` output with its frames, in the layout of the run's torch release.
 */
import type { Rng } from "../sim/rng.ts";
import { buildOf, c10Stamp, frames, type Process, SRC, watchdogFrames } from "./lightning_torch.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { interleave } from "./ranks.ts";

/** What the collective that hung looked like on every rank. */
export interface StuckCollective {
  seq: number;
  numel: number;
  /** Milliseconds each rank's watchdog saw it run, in rank order. */
  ranMs: number[];
  timeoutMs: number;
}

/** A rank's c10 log heads, each a few microseconds after the one before. */
function c10Heads(rank: number, simMs: number, p: Process): (line: number) => string {
  let ns = p.rng.int(100000, 900000);
  return (line) =>
    `[rank${rank}]:[E${c10Stamp(simMs, ns += p.rng.int(9000, 90000))} ` +
    `ProcessGroupNCCL.cpp:${line}] `;
}

/** The watchdog's report of the stuck collective (before it takes the process down). */
function reportRecords(cfg: RunConfig, rank: number, c: StuckCollective, head: Head, p: Process) {
  const b = buildOf(cfg);
  const pg = `[PG ID 0 PG GUID 0(default_pg) Rank ${rank}]`;
  const records = [
    head(b.caught) + caughtText(rank, c),
    head(b.failure) + `${pg}  failure detected by watchdog at work sequence id: ${c.seq} PG ` +
    `status: last enqueued work: ${c.seq + p.rng.int(1, 6)}, last completed work: ${c.seq - 1}`,
    head(b.noTrace) + "Stack trace of the failed collective not found, potentially because " +
    "FlightRecorder is disabled. You can enable it by setting TORCH_NCCL_TRACE_BUFFER_SIZE to a " +
    "non-zero value.",
  ];
  if (b.dump) records.push(head(b.dump[0]) + `${pg} First PG on this rank to signal dumping.`);
  return records;
}

type Head = (line: number) => string;

function caughtText(rank: number, c: StuckCollective): string {
  return `[Rank ${rank}] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=` +
    `${c.seq}, OpType=ALLREDUCE, NumelIn=${c.numel}, NumelOut=${c.numel}, Timeout(ms)=` +
    `${c.timeoutMs}) ran for ${c.ranMs[rank]} milliseconds before timing out.`;
}

/** The abort: the notices, the watchdog's exception, then std::terminate's report. */
function abortRecords(cfg: RunConfig, rank: number, c: StuckCollective, head: Head, p: Process) {
  const b = buildOf(cfg);
  const pg = `[PG ID 0 PG GUID 0(default_pg) Rank ${rank}]`;
  const timedOut = `${pg} Process group watchdog thread terminated with exception: ` +
    caughtText(rank, c);
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
  return [
    head(b.some) + `[Rank ${rank}] Some NCCL operations have failed or timed out. Due to the ` +
    "asynchronous nature of CUDA kernels, subsequent GPU operations might run on " +
    "corrupted/incomplete data.",
    head(b.avoid) + `[Rank ${rank}] To avoid data inconsistency, we are taking the entire ` +
    "process down.",
    `${head(b.terminated)}${timedOut}\n${stack}`,
    "terminate called after throwing an instance of 'c10::DistBackendError'",
    `  what():  ${timedOut}\n${stack}\n${commWatchdog}`,
  ];
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
  const head = c10Heads(rank, simMs, p);
  return [...reportRecords(cfg, rank, c, head, p), ...abortRecords(cfg, rank, c, head, p)];
}

/** The frames of a CUDA error raised where the watchdog polls a collective's completion. */
function cudaCheckFrames(cfg: RunConfig, p: Process): string[] {
  const b = buildOf(cfg);
  const cuda = "torch/lib/libtorch_cuda.so";
  return frames(p, [
    [b.errorCtor, "torch/lib/libc10.so"],
    [
      "c10::cuda::c10_cuda_check_implementation(int, char const*, char const*, int, bool) + 0x3b8",
      "torch/lib/libc10_cuda.so",
    ],
    ["c10d::ProcessGroupNCCL::WorkNCCL::finishedGPUExecutionInternal() const + 0x50", cuda],
    ["c10d::ProcessGroupNCCL::WorkNCCL::isCompleted() + 0x58", cuda],
    [`c10d::ProcessGroupNCCL::watchdogHandler() + ${b.handlerOffset}`, cuda],
    ["c10d::ProcessGroupNCCL::ncclCommWatchdog() + 0x14d", cuda],
    ...b.threadFrames,
  ]);
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
  const p: Process = { base: new Map(), rng, site };
  const error = ecc ? "uncorrectable ECC error encountered" : "unspecified launch failure";
  const msg = `[PG ID 0 PG GUID 0(default_pg) Rank ${rank}] Process group watchdog thread ` +
    `terminated with exception: CUDA error: ${error}`;
  const detail = [
    "CUDA kernel errors might be asynchronously reported at some other API call, so the " +
    "stacktrace below might be incorrect.",
    "For debugging consider passing CUDA_LAUNCH_BLOCKING=1",
    "Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.",
    "",
    "Exception raised from c10_cuda_check_implementation at " +
    "/pytorch/c10/cuda/CUDAException.cpp:43 (most recent call first):",
    ...cudaCheckFrames(cfg, p),
    "",
  ];
  const head = c10Heads(rank, simMs, p);
  return [
    `${head(buildOf(cfg).terminated)}${msg}`,
    ...detail,
    "terminate called after throwing an instance of 'c10::DistBackendError'",
    `  what():  ${msg}`,
    ...detail,
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

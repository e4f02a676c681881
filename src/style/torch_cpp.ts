/**
 * The C++ side of a dying worker: ProcessGroupNCCL's watchdog messages (glog lines), the
 * exception it throws, and c10's frame dumps before `terminate` aborts the process.
 */
import type { LogFacts } from "../sim/facts.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { createRng, hashUnit } from "../sim/rng.ts";
import { type CppFrame, cppFrames } from "./tracebacks.ts";
import { pythonPaths, torchAtLeast, torchMinor, torchSource } from "./torch_source.ts";

type Watchdog = LogFacts["fault.watchdog"];

/**
 * c10's glog head on a worker's C++ line: `[E1124 09:00:03.123456789 ProcessGroupNCCL.cpp:632] `,
 * `[W102 ...` in January.
 */
export function c10Head(severity: string, clockMs: number, salt: number, where: string): string {
  const d = new Date(Math.floor(clockMs));
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  // Nanoseconds: the sub-millisecond part of the clock, so a block's lines keep their order.
  const sub = Math.floor((clockMs - Math.floor(clockMs)) * 1e6) +
    Math.floor(hashUnit(salt, 31) * 900);
  const ns = `${p(d.getUTCMilliseconds(), 3)}${p(Math.min(999999, sub), 6)}`;
  // c10 writes month × 100 + day as one number: no leading zero before October (`[W102`).
  const monthDay = (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
  return `[${severity}${monthDay} ${p(d.getUTCHours())}:` +
    `${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${ns} ${where}] `;
}

/** Where the C++ sources were when this torch was built. */
function srcRoot(cfg: RunConfig): string {
  return torchAtLeast(cfg, 6) ? "/pytorch" : "..";
}

function libs(cfg: RunConfig) {
  const lib = `${pythonPaths(cfg).site}/torch/lib`;
  const sys = cfg.cluster.layout.salt % 2 === 0
    ? "/lib/x86_64-linux-gnu"
    : "/usr/lib/x86_64-linux-gnu";
  return {
    c10: `${lib}/libc10.so`,
    c10cuda: `${lib}/libc10_cuda.so`,
    cuda: `${lib}/libtorch_cuda.so`,
    torch: `${lib}/libtorch.so`,
    cxx: `${sys}/libstdc++.so.6`,
    libc: `${sys}/libc.so.6`,
    pthread: `${sys}/libpthread.so.0`,
  };
}

/** The Ubuntu release the job's image is built on: its glibc and libstdc++ builds. */
type Ubuntu = "20.04" | "22.04" | "24.04";

/**
 * The image's Ubuntu: a system Python's minor names it (3.8 came with 20.04, 3.10 with 22.04,
 * 3.12 with 24.04); a conda or venv interpreter sits on any image of its time.
 */
function ubuntu(cfg: RunConfig): Ubuntu {
  if (pythonPaths(cfg).python === "/usr/bin/python3") {
    const minor = Number(cfg.cluster.pythonVersion.split(".")[1]);
    return minor <= 9 ? "20.04" : minor >= 12 ? "24.04" : "22.04";
  }
  const noble = cfg.startMs >= Date.UTC(2024, 5, 1);
  return createRng(cfg.seed, "style:torch:image").weighted<Ubuntu>(
    ["20.04", "22.04", "24.04"],
    [2, 5, noble ? 3 : 0],
  );
}

/** The string type c10's Error constructor shows (newer compilers spell it out). */
function errorCtor(cfg: RunConfig): string {
  const s = torchAtLeast(cfg, 7)
    ? "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >"
    : "std::string";
  return `c10::Error::Error(c10::SourceLocation, ${s})`;
}

/**
 * The thread's start: the C++ runtime's trampoline (std::thread's execute_native_thread_routine),
 * then glibc's start_thread and clone, at their offsets in the image's own builds.
 */
export function threadStart(cfg: RunConfig): CppFrame[] {
  const l = libs(cfg);
  switch (ubuntu(cfg)) {
    case "20.04":
      return [
        { symbol: null, offset: 0xd6de4, lib: l.cxx },
        { symbol: null, offset: 0x8609, lib: l.pthread },
        { symbol: "clone", offset: 0x43, lib: l.libc },
      ];
    case "22.04":
      return [
        { symbol: null, offset: 0xdc253, lib: l.cxx },
        { symbol: null, offset: 0x94ac3, lib: l.libc },
        { symbol: null, offset: 0x126850, lib: l.libc },
      ];
    case "24.04":
      return [
        { symbol: null, offset: 0xecdb4, lib: l.cxx },
        { symbol: null, offset: 0x9ca94, lib: l.libc },
        { symbol: null, offset: 0x129c3c, lib: l.libc },
      ];
  }
}

function pgHeader(cfg: RunConfig, pg: number, rank: number): string {
  if (!torchSource(cfg).guid) return `[PG ${pg} Rank ${rank}]`;
  return `[PG ID ${pg} PG GUID ${pg}${pg === 0 ? "(default_pg)" : ""} Rank ${rank}]`;
}

/** The two frame dumps of an exception thrown in the watchdog thread, with `terminate` between. */
function abortBlock(
  cfg: RunConfig,
  pid: number,
  what: string,
  raisedAt: string,
  frames: CppFrame[],
): string[] {
  const src = torchSource(cfg), l = libs(cfg), build = torchMinor(cfg);
  const dump = (f: CppFrame[]) => cppFrames(f, pid, cfg.cluster.layout.salt, build);
  const loop: CppFrame[] = [
    { symbol: errorCtor(cfg), offset: 0x96, lib: l.c10 },
    { symbol: null, offset: 0xe5c6fc + (src.pg.watchdog % 64) * 0x100, lib: l.cuda },
    ...threadStart(cfg).slice(0, 3),
  ];
  const pgFile = `${srcRoot(cfg)}/torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp`;
  const exc = `DistBackendError`;
  return [
    `Exception raised from ${raisedAt} (most recent call first):`,
    ...dump(frames),
    "",
    `terminate called after throwing an instance of 'c10::${exc}'`,
    ...`  what():  ${what}`.split("\n"),
    `Exception raised from ${raisedAt} (most recent call first):`,
    ...dump(frames),
    "",
    `Exception raised from ncclCommWatchdog at ${pgFile}:${src.pg.watchdog} (most recent call first):`,
    ...dump(loop),
    "",
  ];
}

/** The watchdog's lines on a rank whose collective timed out, from the first to the abort. */
export function watchdogCpp(cfg: RunConfig, d: Watchdog, clockMs: number): string[] {
  const src = torchSource(cfg), l = libs(cfg), pg = d.pg ?? 0, r = d.rank;
  const at = (k: number, line: number, extraMs = 0) =>
    c10Head("E", clockMs + extraMs + k * 0.02, r * 100 + k, `ProcessGroupNCCL.cpp:${line}`);
  const timeout = `[Rank ${r}] Watchdog caught collective operation timeout: ` +
    `WorkNCCL(SeqNum=${d.seq}, OpType=${d.op ?? "ALLREDUCE"}, NumelIn=${d.numel}, ` +
    `NumelOut=${d.numel_out ?? d.numel}, Timeout(ms)=${d.timeout_ms ?? 600000}) ran for ` +
    `${d.ran_ms} milliseconds before timing out.`;
  const enq = d.last_enqueued ?? d.seq, done = d.last_completed ?? d.seq - 1;
  const head = pgHeader(cfg, pg, r);
  const out = [`${at(0, src.pg.timeout)}${timeout}`];
  out.push(
    src.guid
      ? `${at(1, src.pg.detected)}${head}  failure detected by watchdog at work sequence id: ` +
        `${d.seq} PG status: last enqueued work: ${enq}, last completed work: ${done}`
      : `${at(1, src.pg.detected)}${head} Exception (either an error or timeout) detected by ` +
        `watchdog at work: ${d.seq}, last enqueued NCCL work: ${enq}, last completed NCCL work: ${done}.`,
  );
  if (src.guid) {
    out.push(
      `${at(2, src.pg.stack)}Stack trace of the failed collective not found, potentially because ` +
        "FlightRecorder is disabled. You can enable it by setting TORCH_NCCL_TRACE_BUFFER_SIZE " +
        "to a non-zero value.",
    );
  }
  // A dump of the flight recorder takes most of a second before the process goes down.
  const dumpMs = src.dumps ? 600 + 500 * hashUnit(r, d.seq) : 0;
  if (src.dumps) {
    out.push(
      `${at(3, src.pg.dumpFirst)}${head} First PG on this rank to signal dumping.`,
      `${at(4, src.pg.dumpSignal, dumpMs * 0.35)}${head} Received a dump signal due to a ` +
        "collective timeout from this local rank and we will try our best to dump the debug " +
        `info. Last enqueued NCCL work: ${enq}, last completed NCCL work: ${done}.This is most ` +
        "likely caused by incorrect usages of collectives, e.g., wrong sizes used across ranks, " +
        "the order of collectives is not same for all ranks or the scheduled collective, for " +
        "some reason, didn't run. Additionally, this can be caused by GIL deadlock or other " +
        "reasons such as network errors or bugs in the communications library (e.g. NCCL), etc. ",
      `${at(5, src.pg.dumpPrepare, dumpMs * 0.36)}${head} ProcessGroupNCCL preparing to dump ` +
        "debug info. Include stack trace: 1",
    );
  }
  const pgFile = `${srcRoot(cfg)}/torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp`;
  const frames: CppFrame[] = [
    { symbol: errorCtor(cfg), offset: 0x96, lib: l.c10 },
    {
      symbol: "c10d::ProcessGroupNCCL::WorkNCCL::checkTimeout(std::optional<std::chrono::" +
        "duration<long, std::ratio<1l, 1000l> > >)",
      offset: 0x2b4,
      lib: l.cuda,
    },
    { symbol: "c10d::ProcessGroupNCCL::watchdogHandler()", offset: 0x890, lib: l.cuda },
    { symbol: "c10d::ProcessGroupNCCL::ncclCommWatchdog()", offset: 0x14d, lib: l.cuda },
    ...threadStart(cfg),
  ];
  const what = `${head} Process group watchdog thread terminated with exception: ${timeout}`;
  out.push(
    `${at(6, src.pg.someOps, dumpMs)}[Rank ${r}] Some NCCL operations have failed or timed out. ` +
      "Due to the asynchronous nature of CUDA kernels, subsequent GPU operations might run on " +
      "corrupted/incomplete data.",
    `${at(7, src.pg.takeDown, dumpMs)}[Rank ${r}] To avoid data inconsistency, we are taking ` +
      "the entire process down.",
    `${at(8, src.pg.terminated, dumpMs + 1.5)}${what}`,
    ...abortBlock(
      cfg,
      d.pid ?? 0,
      what,
      `checkTimeout at ${pgFile}:${src.pg.checkTimeout}`,
      frames,
    ),
  );
  return out;
}

/**
 * The watchdog thread of a rank whose InfiniBand link failed: NCCL's remote error on the work
 * it checks, and the abort. `text` is the NCCL error as torch words it (torch_faults.ts).
 */
export function ncclErrorCpp(
  cfg: RunConfig,
  rank: number,
  pid: number,
  clockMs: number,
  text: string[],
): string[] {
  const l = libs(cfg);
  const frames: CppFrame[] = [
    { symbol: errorCtor(cfg), offset: 0x96, lib: l.c10 },
    {
      symbol:
        "c10d::ProcessGroupNCCL::checkForNCCLErrorsInternal(std::shared_ptr<c10d::NCCLComm>&)",
      offset: 0x220,
      lib: l.cuda,
    },
    {
      symbol: "c10d::ProcessGroupNCCL::WorkNCCL::checkAndSetException()",
      offset: 0x7c,
      lib: l.cuda,
    },
    { symbol: "c10d::ProcessGroupNCCL::watchdogHandler()", offset: 0x213, lib: l.cuda },
    { symbol: "c10d::ProcessGroupNCCL::ncclCommWatchdog()", offset: 0x14d, lib: l.cuda },
    ...threadStart(cfg),
  ];
  // The check sits a little above the watchdog loop in ProcessGroupNCCL.cpp.
  const raisedAt = `checkForNCCLErrorsInternal at ${srcRoot(cfg)}/torch/csrc/distributed/c10d/` +
    `ProcessGroupNCCL.cpp:${torchSource(cfg).pg.watchdog - 212}`;
  return watchdogTerminated(cfg, rank, pid, clockMs, text, frames, raisedAt);
}

/** The watchdog thread of the failing rank finding the CUDA error, and aborting. */
export function cudaErrorCpp(
  cfg: RunConfig,
  rank: number,
  pid: number,
  clockMs: number,
  text: string[],
): string[] {
  const l = libs(cfg);
  const frames: CppFrame[] = [
    { symbol: errorCtor(cfg), offset: 0x96, lib: l.c10 },
    {
      symbol:
        "c10::detail::torchCheckFail(char const*, char const*, unsigned int, std::string const&)",
      offset: 0x64,
      lib: l.c10,
    },
    {
      symbol: "c10::cuda::c10_cuda_check_implementation(int, char const*, char const*, int, bool)",
      offset: 0x118,
      lib: l.c10cuda,
    },
    {
      symbol: "c10d::ProcessGroupNCCL::WorkNCCL::finishedGPUExecutionInternal() const",
      offset: 0x56,
      lib: l.cuda,
    },
    { symbol: "c10d::ProcessGroupNCCL::WorkNCCL::isCompleted()", offset: 0xa0, lib: l.cuda },
    { symbol: "c10d::ProcessGroupNCCL::watchdogHandler()", offset: 0x617, lib: l.cuda },
    { symbol: "c10d::ProcessGroupNCCL::ncclCommWatchdog()", offset: 0x14d, lib: l.cuda },
    ...threadStart(cfg),
  ];
  const raisedAt = `c10_cuda_check_implementation at ${srcRoot(cfg)}/c10/cuda/CUDAException.cpp:43`;
  return watchdogTerminated(cfg, rank, pid, clockMs, text, frames, raisedAt);
}

/**
 * A rank's watchdog thread ending on an exception (`text`, as torch words it): its error record,
 * then the abort with `frames`, raised at `raisedAt`.
 */
function watchdogTerminated(
  cfg: RunConfig,
  rank: number,
  pid: number,
  clockMs: number,
  text: string[],
  frames: CppFrame[],
  raisedAt: string,
): string[] {
  const src = torchSource(cfg);
  const head = pgHeader(cfg, src.guid && cfg.plan.strategy === "fsdp" ? 1 : 0, rank);
  const what = `${head} Process group watchdog thread terminated with exception: ${
    text.join("\n")
  }\n`;
  const first = c10Head("E", clockMs, rank * 100 + 9, `ProcessGroupNCCL.cpp:${src.pg.terminated}`);
  const [head1, ...rest] = what.split("\n");
  return [`${first}${head1}`, ...rest, ...abortBlock(cfg, pid, what.trimEnd(), raisedAt, frames)];
}

/**
 * PyTorch's NCCL watchdog on a rank whose collective never completes (a peer's GPU hung): after
 * the 10-minute timeout it reports the timed-out work, warns about corrupted data, and takes the
 * process down with a C++ exception (c10::DistBackendError) and its frames. Line numbers and
 * wording follow the PyTorch minor version.
 */
import type { Rng } from "../sim/rng.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { glogHead } from "../format/clock.ts";
import { sitePackages, torchMinor } from "./torch_crash.ts";

/** The collective that timed out. */
export interface TimedOutWork {
  seq: number;
  numel: number;
  ranMs: number;
}

/** ProcessGroupNCCL.cpp lines by minor version. */
interface WatchdogLines {
  caught: number;
  failure: number;
  stack: number | null;
  some: number;
  avoid: number;
  terminated: number;
  check: number;
  thread: number;
}

const LINES: Record<number, WatchdogLines> = {
  3: {
    caught: 563,
    failure: 1537,
    stack: null,
    some: 577,
    avoid: 583,
    terminated: 1414,
    check: 565,
    thread: 1418,
  },
  4: {
    caught: 607,
    failure: 1664,
    stack: null,
    some: 621,
    avoid: 627,
    terminated: 1536,
    check: 609,
    thread: 1540,
  },
  5: {
    caught: 629,
    failure: 2168,
    stack: 667,
    some: 681,
    avoid: 695,
    terminated: 1895,
    check: 632,
    thread: 1901,
  },
  6: {
    caught: 632,
    failure: 2271,
    stack: 670,
    some: 684,
    avoid: 698,
    terminated: 1899,
    check: 635,
    thread: 1905,
  },
};

/** glog's `E1207 16:45:11.123456789` with nanoseconds (PyTorch 2.4 on), `sub` ns into the ms. */
function nanoTime(simMs: number, sub: number): string {
  // glogHead gives "E1207 16:45:11.123000 …": keep the milliseconds, write the nanoseconds below.
  const [day, time] = glogHead("E", simMs, 0, "").split(" ");
  return `${day} ${time.slice(0, -3)}${String(sub).padStart(6, "0")}`;
}

/** Where a process's libraries are mapped: torch's, then libc's further up. */
interface LibBases {
  torch: number;
  libc: number;
}

function libBases(rng: Rng): LibBases {
  const torch = 0x7f0000000000 + rng.int(0, 0xfe) * 2 ** 32 + rng.int(0, 0xff) * 2 ** 24;
  return { torch, libc: torch + 0x56000000 + rng.int(0, 0xfff) * 2 ** 16 };
}

/** The frames of a C++ exception, at the addresses of this process's libraries. */
function frames(cfg: RunConfig, names: string[], at: LibBases): string[] {
  const lib = `${sitePackages(cfg)}/torch/lib`;
  return names.map((name, i) => {
    const [symbol, offset, where] = name.split("|");
    const system = where.startsWith("/");
    const base = system ? at.libc : at.torch;
    const addr = (base + parseInt(offset, 16) + i * 0x1111).toString(16);
    return `frame #${i}: ${symbol} + 0x${offset} (0x${addr} in ${
      system ? where : `${lib}/${where}`
    })`;
  });
}

const CHECK_FRAMES = [
  "c10::Error::Error(c10::SourceLocation, std::string)|96|libc10.so",
  "c10d::ProcessGroupNCCL::WorkNCCL::checkTimeout(std::optional<std::chrono::duration<long, " +
  "std::ratio<1l, 1000l> > >)|2b4|libtorch_cuda.so",
  "c10d::ProcessGroupNCCL::watchdogHandler()|890|libtorch_cuda.so",
  "c10d::ProcessGroupNCCL::ncclCommWatchdog()|14d|libtorch_cuda.so",
  "<unknown function>|145c0|libtorch.so",
  "<unknown function>|94ac3|/lib/x86_64-linux-gnu/libc.so.6",
  "clone|44|/lib/x86_64-linux-gnu/libc.so.6",
];

/** The watchdog's lines on `rank` when `work` timed out at `simMs`. */
export function watchdogTimeout(
  cfg: RunConfig,
  rank: number,
  simMs: number,
  work: TimedOutWork,
  rng: Rng,
): string {
  const minor = torchMinor(cfg);
  const n = LINES[Math.max(3, Math.min(6, minor))];
  let ns = rng.int(100000, 400000);
  const head = (line: number) => {
    ns += rng.int(3000, 40000);
    const stamp = minor < 4 ? "E" : nanoTime(simMs, ns);
    return `[rank${rank}]:[${stamp} ProcessGroupNCCL.cpp:${line}] `;
  };
  const pg = minor >= 5 ? `[PG ID 0 PG GUID 0(default_pg) Rank ${rank}]` : `[PG 0 Rank ${rank}]`;
  const caught = `[Rank ${rank}] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=` +
    `${work.seq}, OpType=ALLREDUCE, NumelIn=${work.numel}, NumelOut=${work.numel}, Timeout(ms)=` +
    `600000) ran for ${work.ranMs} milliseconds before timing out.`;
  const enqueued = work.seq + rng.int(0, 4);
  const failure = minor >= 5
    ? `${pg}  failure detected by watchdog at work sequence id: ${work.seq} PG status: last ` +
      `enqueued work: ${enqueued}, last completed work: ${work.seq - 1}`
    : `${pg} Timeout at NCCL work: ${work.seq}, last enqueued NCCL work: ${enqueued}, last ` +
      `completed NCCL work: ${work.seq - 1}.`;
  const terminated = `${pg} Process group watchdog thread terminated with exception: ${caught}`;
  const src = "/pytorch/torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp";
  const bases = libBases(rng);
  const checkFrames = frames(cfg, CHECK_FRAMES, bases);
  return [
    head(n.caught) + caught,
    head(n.failure) + failure,
    ...(n.stack
      ? [
        head(n.stack) + "Stack trace of the failed collective not found, potentially " +
        "because FlightRecorder is disabled. You can enable it by setting " +
        "TORCH_NCCL_TRACE_BUFFER_SIZE to a non-zero value.",
      ]
      : []),
    head(n.some) + `[Rank ${rank}] Some NCCL operations have failed or timed out. Due to the ` +
    "asynchronous nature of CUDA kernels, subsequent GPU operations might run on " +
    "corrupted/incomplete data.",
    head(n.avoid) + `[Rank ${rank}] To avoid data inconsistency, we are taking the entire ` +
    "process down.",
    head(n.terminated) + terminated,
    `Exception raised from checkTimeout at ${src}:${n.check} (most recent call first):`,
    ...checkFrames,
    "",
    "terminate called after throwing an instance of 'c10::DistBackendError'",
    `  what():  ${terminated}`,
    `Exception raised from checkTimeout at ${src}:${n.check} (most recent call first):`,
    ...checkFrames,
    "",
    `Exception raised from ncclCommWatchdog at ${src}:${n.thread} (most recent call first):`,
    ...frames(cfg, [
      CHECK_FRAMES[0],
      "<unknown function>|11b4abe|libtorch_cuda.so",
      "<unknown function>|e07bed|libtorch_cuda.so",
      ...CHECK_FRAMES.slice(4),
    ], bases),
    "",
  ].join("\n");
}

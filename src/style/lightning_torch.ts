/**
 * The torch build a run's processes load, as its C++ errors show it: ProcessGroupNCCL's source
 * lines for each message, the frames of a watchdog's stack and the addresses each process
 * loaded its libraries at.
 */
import { hashString, type Rng } from "../sim/rng.ts";
import type { RunConfig } from "../sim/run_config.ts";

/** Source lines and frame offsets of one torch build's ProcessGroupNCCL. */
export interface TorchBuild {
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

/** The build of the run's torch (2.6 on writes the newer layout). */
export function buildOf(cfg: RunConfig): TorchBuild {
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
export interface Process {
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

/** A stack's frame lines in a process. */
export function frames(p: Process, list: Array<[string, string]>): string[] {
  return list.map(([symbol, lib], i) => {
    const path = lib.startsWith("/") ? lib : `${p.site}/${lib}`;
    return `frame #${i}: ${symbol} (${address(p, lib, symbol)} in ${path})`;
  });
}

/** ProcessGroupNCCL's source file as the build records it. */
export const SRC = "/pytorch/torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp";

/** The watchdog thread's stack down from checkTimeout. */
export function watchdogFrames(b: TorchBuild, p: Process): string[] {
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

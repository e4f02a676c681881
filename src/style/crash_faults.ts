/**
 * What a worker prints when it crashes outside CUDA: the chained RuntimeError of a DataLoader
 * worker lost to SIGBUS or the OOM killer (with the worker's own shm message), torch.save's
 * PytorchStreamWriter errors on a full disk, and faulthandler's dump of a segmentation fault
 * on clusters that enable it. A rank the host's OOM killer takes prints nothing at all.
 */
import type { LogEventOf, LogFacts } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { hashUnit } from "../sim/rng.ts";
import { type FaultView, pyLines } from "./torch_faults.ts";
import { defaultFrames, frame } from "./torch_frames.ts";
import { saveExitFrames, saveFrames } from "./torch_sites.ts";
import { type PyFrame, pyTraceback } from "./tracebacks.ts";
import { pythonMinor, pythonPaths, stdlibDir, torchSource } from "./torch_source.ts";

type Crash = LogFacts["fault.crash"];

/** Lines of the standard library's sources by Python minor version (3.10 to 3.13). */
const STDLIB: Record<number, { poll: number; wait: number; select: number; thread: number[] }> = {
  10: { poll: 424, wait: 931, select: 416, thread: [320, 953, 1016, 973] },
  11: { poll: 440, wait: 947, select: 415, thread: [324, 975, 1045, 1002] },
  12: { poll: 440, wait: 1136, select: 415, thread: [355, 1010, 1075, 1032] },
  13: { poll: 440, wait: 1148, select: 415, thread: [359, 992, 1041, 1012] },
};

function stdlib(cfg: RunConfig) {
  return STDLIB[pythonMinor(cfg)] ?? STDLIB[11];
}

/** The main thread waiting on the loader's queue when the SIGCHLD handler finds a dead worker. */
function queueWaitFrames(cfg: RunConfig): PyFrame[] {
  const lib = stdlibDir(cfg), s = stdlib(cfg), t = torchSource(cfg).loader;
  const site = pythonPaths(cfg).site, conn = `${lib}/multiprocessing/connection.py`;
  return [
    frame(
      `${site}/torch/utils/data/dataloader.py`,
      t.tryGet,
      "_try_get_data",
      "data = self._data_queue.get(timeout=timeout)",
      "self._data_queue.get",
    ),
    frame(
      `${lib}/multiprocessing/queues.py`,
      113,
      "get",
      "if not self._poll(timeout):",
      "self._poll",
    ),
    frame(conn, 257, "poll", "return self._poll(timeout)", "self._poll"),
    frame(conn, s.poll, "_poll", "r = wait([self], timeout)", "wait"),
    frame(conn, s.wait, "wait", "ready = selector.select(timeout)", "selector.select"),
    frame(
      `${lib}/selectors.py`,
      s.select,
      "select",
      "fd_event_list = self._selector.poll(timeout)",
      "self._selector.poll",
    ),
    frame(
      `${site}/torch/utils/data/_utils/signal_handling.py`,
      t.handler,
      "handler",
      "_error_if_any_worker_fails()",
    ),
  ];
}

/** A lost DataLoader worker: its own shm message (SIGBUS), then the chained RuntimeError. */
function loaderLines(cfg: RunConfig, d: Crash, frames: PyFrame[]): { raw: string[]; py: string[] } {
  const carets = pythonMinor(cfg) >= 11, pid = d.worker_pid ?? d.pid + 1;
  const bus = d.crash === "loader_bus";
  const killed = bus
    ? `DataLoader worker (pid ${pid}) is killed by signal: Bus error. It is possible that ` +
      "dataloader's workers are out of shared memory. Please try to raise your shared memory limit."
    : `DataLoader worker (pid ${pid}) is killed by signal: Killed. `;
  const raw = bus
    ? [
      "ERROR: Unexpected bus error encountered in worker. This might be caused by insufficient " +
      "shared memory (shm).",
    ]
    : [];
  const py = [
    ...pyTraceback(queueWaitFrames(cfg), `RuntimeError: ${killed}`, carets),
    "",
    "The above exception was the direct cause of the following exception:",
    "",
    ...pyTraceback(
      frames,
      `RuntimeError: DataLoader worker (pid(s) ${pid}) exited unexpectedly`,
      carets,
    ),
  ];
  return { raw, py };
}

/** torch.save failing on a full disk (or quota), then again as its writer closes the archive. */
function saveLines(cfg: RunConfig, d: Crash, frames: PyFrame[]): string[] {
  const carets = pythonMinor(cfg) >= 11, l = torchSource(cfg).inline;
  const enforce = (line: number, text: string) =>
    `RuntimeError: [enforce fail at inline_container.cc:${line}] . ${text}`;
  return [
    ...pyTraceback(
      saveFrames(cfg),
      enforce(
        l.write,
        `PytorchStreamWriter failed writing file data/${d.record ?? 0}: file write failed`,
      ),
      carets,
    ),
    "",
    "During handling of the above exception, another exception occurred:",
    "",
    ...pyTraceback(
      [...frames, ...saveExitFrames(cfg)],
      enforce(l.eof, `unexpected pos ${d.written ?? 0} vs ${d.expected ?? 0}`),
      carets,
    ),
  ];
}

/** A thread id as faulthandler prints it (`0x00007f3a1bfff640`). */
function threadId(cfg: RunConfig, pid: number, k: number): string {
  const hi = 0x7f00 + Math.floor(hashUnit(pid, k, 1) * 0xff);
  const lo = Math.floor(hashUnit(cfg.seed, pid, k) * 0xfffff) * 0x1000 + (k === 0 ? 0x740 : 0x640);
  return `0x0000${hi.toString(16)}${lo.toString(16).padStart(8, "0")}`;
}

/** The extension modules faulthandler lists (3.10+), as a torch training process loads them. */
const EXTENSIONS = [
  "numpy._core._multiarray_umath",
  "numpy.linalg._umath_linalg",
  "torch._C",
  "torch._C._dynamo.autograd_compiler",
  "torch._C._dynamo.eval_frame",
  "torch._C._dynamo.guards",
  "torch._C._dynamo.utils",
  "torch._C._fft",
  "torch._C._linalg",
  "torch._C._nested",
  "torch._C._nn",
  "torch._C._sparse",
  "torch._C._special",
  "yaml._yaml",
  "psutil._psutil_linux",
  "psutil._psutil_posix",
  "regex._regex",
  "charset_normalizer.md",
];

/** faulthandler's dump: the pin-memory thread, then the main thread that faulted. */
function segfaultLines(cfg: RunConfig, d: Crash, frames: PyFrame[]): string[] {
  const lib = stdlibDir(cfg), [wait, run, inner, boot] = stdlib(cfg).thread;
  const pin = `${pythonPaths(cfg).site}/torch/utils/data/_utils/pin_memory.py`;
  const at = (f: { file: string; line: number; fn: string }) =>
    `  File "${f.file}", line ${f.line} in ${f.fn}`;
  // CPython lists every non-stdlib extension module loaded, then their count (no ellipsis).
  const n = Math.min(
    EXTENSIONS.length,
    16 + Math.floor(hashUnit(cfg.cluster.layout.salt, 17) * (EXTENSIONS.length - 15)),
  );
  const modules = EXTENSIONS.slice(0, n);
  return [
    "Fatal Python error: Segmentation fault",
    "",
    `Thread ${threadId(cfg, d.pid, 1)} (most recent call first):`,
    at({ file: `${lib}/threading.py`, line: wait, fn: "wait" }),
    at({ file: `${lib}/queue.py`, line: 180, fn: "get" }),
    at({ file: pin, line: 31, fn: "do_one_step" }),
    at({ file: pin, line: 54, fn: "_pin_memory_loop" }),
    at({ file: `${lib}/threading.py`, line: run, fn: "run" }),
    at({ file: `${lib}/threading.py`, line: inner, fn: "_bootstrap_inner" }),
    at({ file: `${lib}/threading.py`, line: boot, fn: "_bootstrap" }),
    "",
    `Current thread ${threadId(cfg, d.pid, 0)} (most recent call first):`,
    ...[...frames].reverse().map(at),
    "",
    `Extension modules: ${modules.join(", ")} (total: ${modules.length})`,
  ];
}

/** Whether the job's environment turns faulthandler on (PYTHONFAULTHANDLER=1), per cluster. */
export function faulthandlerOn(cfg: RunConfig): boolean {
  return hashUnit(cfg.cluster.layout.salt, 0xfa17) < 0.5;
}

/** The Python exception a crash raised (for the launcher's error file), or null for a signal. */
export function crashException(cfg: RunConfig, d: Crash, view: FaultView): string[] | null {
  const frames = (view.frames ?? defaultFrames)(cfg, d.site);
  if (d.crash === "disk_full") return saveLines(cfg, d, frames);
  if (d.crash === "loader_bus" || d.crash === "loader_killed") {
    return loaderLines(cfg, d, frames).py;
  }
  return null;
}

/** The failing rank's lines for a crash ("" for a silent SIGKILL). */
export function crashLines(ev: LogEventOf<"fault.crash">, cfg: RunConfig, view: FaultView): string {
  const d = ev.data;
  if (!view.shows(d.rank)) return "";
  const frames = (view.frames ?? defaultFrames)(cfg, d.site);
  const raw = (lines: string[]) => lines.map((l) => `${view.tee(d.rank)}${l}`);
  switch (d.crash) {
    case "host_oom":
      return "";
    case "segfault":
      return faulthandlerOn(cfg) ? raw(segfaultLines(cfg, d, frames)).join("\n") : "";
    case "disk_full":
      return pyLines(view, d.rank, saveLines(cfg, d, frames)).join("\n");
    default: {
      const { raw: shm, py } = loaderLines(cfg, d, frames);
      return [...raw(shm), ...pyLines(view, d.rank, py)].join("\n");
    }
  }
}

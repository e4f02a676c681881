/**
 * Where torch's own messages come from, by torch version: the `file:line` of torchrun's and
 * the elastic agent's log calls, the frames of the launcher's tracebacks, and the lines of
 * ProcessGroupNCCL's watchdog (data/torch_sources.json). One coherent set per version, so a run
 * never mixes them, and no two different statements share a line.
 */
import torchSources from "../../data/torch_sources.json" with { type: "json" };
import type { RunConfig } from "../sim/run_config.ts";

/** Source lines of one torch minor version. */
export interface TorchSource {
  /** torch/distributed/run.py: the OMP_NUM_THREADS banner; main() and run() in tracebacks. */
  runBanner: number;
  runMain: number;
  runRun: number;
  /** torch/distributed/launcher/api.py: launch configs, __call__, launch_agent's raise/run. */
  launcherConfigs: number;
  launcherCall: number;
  launcherRaise: number;
  launcherRun: number;
  /** multiprocessing/errors/__init__.py: the `record` wrapper. */
  errorsWrapper: number;
  /** multiprocessing/api.py: SIGTERM to a worker, a worker's failure, the signal handler. */
  mpSigterm: number;
  mpFailed: number;
  mpSignal: number;
  /** agent/server/api.py: rendezvous result, worker group start, death signal, run loop. */
  agentRdzvDone: number;
  agentStart: number;
  agentStarting: number;
  agentRdzv: number;
  agentDeath: number;
  agentRun: number;
  agentInvoke: number;
  agentFinished: number;
  agentBarrier: number;
  agentDone: number;
  /** ProcessGroupNCCL.cpp: the watchdog's messages, in the order a timeout prints them. */
  pg: {
    timeout: number;
    detected: number;
    stack: number;
    dumpFirst: number;
    dumpSignal: number;
    dumpPrepare: number;
    someOps: number;
    takeDown: number;
    terminated: number;
    checkTimeout: number;
    watchdog: number;
    notDestroyed: number;
  };
  /** The PG-id header (`[PG ID 0 PG GUID 0(default_pg) Rank 0]`) of 2.5+, not 2.4's `[PG 0 Rank 0]`. */
  guid: boolean;
  /** Whether a timeout dumps the flight recorder first (2.7+ prints three more lines). */
  dumps: boolean;
  /** utils/data/dataloader.py: __next__ down to the raise of a lost worker; the SIGCHLD handler. */
  loader: {
    next: number;
    nextData: number;
    getData: number;
    tryGet: number;
    tryRaise: number;
    handler: number;
  };
  /** serialization.py: torch.save's writer, its `_save`, a record's write, the writer's exit. */
  save: { open: number; save: number; record: number; exit: number };
  /** caffe2/serialize/inline_container.cc: a record's failed write, the end-of-file check. */
  inline: { write: number; eof: number };
  /** optim/optimizer.py's step wrapper and `_use_grad`; optim/adamw.py's step. */
  optim: { wrapper: number; useGrad: number; step: number };
  /** Python frames inside torch: Module.__call__'s two levels, backward's three. */
  py: { wrapped: number; call: number; tensorBackward: number; autograd: number; engine: number };
}

/** One line table per torch minor version (data/torch_sources.json). */
const TABLE = torchSources as Record<string, TorchSource>;

/** The torch minor version of the run, as `2.6`. */
export function torchMinor(cfg: RunConfig): string {
  return cfg.cluster.torchVersion.split(".").slice(0, 2).join(".");
}

/** The source lines of the run's torch version. */
export function torchSource(cfg: RunConfig): TorchSource {
  return TABLE[torchMinor(cfg)] ?? TABLE["2.6"];
}

/** Whether the run's torch is at least `major.minor`. */
export function torchAtLeast(cfg: RunConfig, minor: number): boolean {
  return Number(cfg.cluster.torchVersion.split(".")[1]) >= minor;
}

/** The python minor version (3.11 → 11): carets in tracebacks come with 3.11+. */
export function pythonMinor(cfg: RunConfig): number {
  return Number(cfg.cluster.pythonVersion.split(".")[1]);
}

/** Where torch is installed and the interpreter and torchrun that run the job. */
export function pythonPaths(cfg: RunConfig): { site: string; python: string; torchrun: string } {
  const py = `python3.${pythonMinor(cfg)}`;
  const venv = cfg.cluster.venv;
  if (venv.startsWith("/usr/bin")) {
    return {
      site: `/usr/local/lib/${py}/dist-packages`,
      python: "/usr/bin/python3",
      torchrun: "/usr/local/bin/torchrun",
    };
  }
  const root = venv.replace(/\/bin\/python3?$/, "");
  return {
    site: `${root}/lib/${py}/site-packages`,
    python: venv,
    torchrun: `${root}/bin/torchrun`,
  };
}

/** The interpreter's standard library (`/usr/lib/python3.11`, a conda env's lib/python3.11). */
export function stdlibDir(cfg: RunConfig): string {
  const py = pythonPaths(cfg).python, minor = pythonMinor(cfg);
  if (py === "/usr/bin/python3") return `/usr/lib/python3.${minor}`;
  return py.replace(/bin\/python3?$/, `lib/python3.${minor}`);
}

/** The path torch's logging shows for its own files (`site-packages/torch/...` or `torch/...`). */
export function loggedPath(cfg: RunConfig, file: string): string {
  return pythonPaths(cfg).site.endsWith("site-packages")
    ? `site-packages/torch/${file}`
    : `torch/${file}`;
}

/**
 * Where torch's own messages come from, by torch version: the `file:line` of torchrun's and
 * the elastic agent's log calls, the frames of the launcher's tracebacks, and the lines of
 * ProcessGroupNCCL's watchdog. One coherent set per version, so a run never mixes them, and no
 * two different statements share a line.
 */
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
  /** The PG-id header (`[PG ID 0 PG GUID 0(default_pg) Rank 0]`) of 2.6+, not 2.5's `[PG 0 Rank 0]`. */
  guid: boolean;
  /** Whether a timeout dumps the flight recorder first (2.7+ prints three more lines). */
  dumps: boolean;
  /** Python frames inside torch: Module.__call__'s two levels, backward's three. */
  py: { wrapped: number; call: number; tensorBackward: number; autograd: number; engine: number };
}

const TABLE: Record<string, TorchSource> = {
  "2.4": {
    runBanner: 766,
    runMain: 901,
    runRun: 892,
    launcherConfigs: 188,
    launcherCall: 133,
    launcherRaise: 264,
    launcherRun: 255,
    errorsWrapper: 348,
    mpSigterm: 858,
    mpFailed: 833,
    mpSignal: 83,
    agentRdzvDone: 521,
    agentStart: 681,
    agentStarting: 835,
    agentRdzv: 673,
    agentDeath: 702,
    agentRun: 696,
    agentInvoke: 855,
    agentFinished: 873,
    agentBarrier: 922,
    agentDone: 936,
    pg: {
      timeout: 1394,
      detected: 1552,
      stack: 1410,
      dumpFirst: 0,
      dumpSignal: 0,
      dumpPrepare: 0,
      someOps: 1416,
      takeDown: 1422,
      terminated: 1586,
      checkTimeout: 1397,
      watchdog: 1592,
      notDestroyed: 1168,
    },
    guid: false,
    dumps: false,
    py: { wrapped: 1553, call: 1562, tensorBackward: 521, autograd: 289, engine: 768 },
  },
  "2.5": {
    runBanner: 793,
    runMain: 919,
    runRun: 910,
    launcherConfigs: 194,
    launcherCall: 138,
    launcherRaise: 269,
    launcherRun: 260,
    errorsWrapper: 355,
    mpSigterm: 897,
    mpFailed: 869,
    mpSignal: 84,
    agentRdzvDone: 525,
    agentStart: 670,
    agentStarting: 845,
    agentRdzv: 662,
    agentDeath: 705,
    agentRun: 696,
    agentInvoke: 864,
    agentFinished: 880,
    agentBarrier: 932,
    agentDone: 946,
    pg: {
      timeout: 607,
      detected: 1664,
      stack: 621,
      dumpFirst: 0,
      dumpSignal: 0,
      dumpPrepare: 0,
      someOps: 627,
      takeDown: 633,
      terminated: 1601,
      checkTimeout: 609,
      watchdog: 1607,
      notDestroyed: 1168,
    },
    guid: false,
    dumps: false,
    py: { wrapped: 1736, call: 1747, tensorBackward: 581, autograd: 347, engine: 825 },
  },
  "2.6": {
    runBanner: 792,
    runMain: 918,
    runRun: 909,
    launcherConfigs: 193,
    launcherCall: 138,
    launcherRaise: 269,
    launcherRun: 260,
    errorsWrapper: 355,
    mpSigterm: 897,
    mpFailed: 869,
    mpSignal: 84,
    agentRdzvDone: 524,
    agentStart: 669,
    agentStarting: 844,
    agentRdzv: 661,
    agentDeath: 704,
    agentRun: 695,
    agentInvoke: 863,
    agentFinished: 879,
    agentBarrier: 931,
    agentDone: 945,
    pg: {
      timeout: 629,
      detected: 2168,
      stack: 667,
      dumpFirst: 0,
      dumpSignal: 0,
      dumpPrepare: 0,
      someOps: 681,
      takeDown: 695,
      terminated: 1895,
      checkTimeout: 632,
      watchdog: 1901,
      notDestroyed: 1250,
    },
    guid: true,
    dumps: false,
    py: { wrapped: 1739, call: 1750, tensorBackward: 626, autograd: 347, engine: 823 },
  },
  "2.7": {
    runBanner: 766,
    runMain: 892,
    runRun: 883,
    launcherConfigs: 185,
    launcherCall: 139,
    launcherRaise: 270,
    launcherRun: 261,
    errorsWrapper: 355,
    mpSigterm: 900,
    mpFailed: 874,
    mpSignal: 85,
    agentRdzvDone: 528,
    agentStart: 673,
    agentStarting: 848,
    agentRdzv: 665,
    agentDeath: 708,
    agentRun: 699,
    agentInvoke: 867,
    agentFinished: 883,
    agentBarrier: 935,
    agentDone: 949,
    pg: {
      timeout: 632,
      detected: 2271,
      stack: 670,
      dumpFirst: 2106,
      dumpSignal: 1746,
      dumpPrepare: 1536,
      someOps: 684,
      takeDown: 698,
      terminated: 1899,
      checkTimeout: 635,
      watchdog: 1905,
      notDestroyed: 1494,
    },
    guid: true,
    dumps: true,
    py: { wrapped: 1751, call: 1762, tensorBackward: 648, autograd: 353, engine: 824 },
  },
  "2.8": {
    runBanner: 811,
    runMain: 936,
    runRun: 927,
    launcherConfigs: 211,
    launcherCall: 157,
    launcherRaise: 294,
    launcherRun: 285,
    errorsWrapper: 357,
    mpSigterm: 1010,
    mpFailed: 984,
    mpSignal: 87,
    agentRdzvDone: 531,
    agentStart: 676,
    agentStarting: 851,
    agentRdzv: 668,
    agentDeath: 711,
    agentRun: 702,
    agentInvoke: 870,
    agentFinished: 886,
    agentBarrier: 938,
    agentDone: 952,
    pg: {
      timeout: 655,
      detected: 2299,
      stack: 693,
      dumpFirst: 2134,
      dumpSignal: 1774,
      dumpPrepare: 1564,
      someOps: 707,
      takeDown: 721,
      terminated: 1929,
      checkTimeout: 658,
      watchdog: 1935,
      notDestroyed: 1522,
    },
    guid: true,
    dumps: true,
    py: { wrapped: 1773, call: 1784, tensorBackward: 647, autograd: 354, engine: 829 },
  },
  "2.9": {
    runBanner: 819,
    runMain: 946,
    runRun: 937,
    launcherConfigs: 214,
    launcherCall: 160,
    launcherRaise: 299,
    launcherRun: 290,
    errorsWrapper: 357,
    mpSigterm: 1013,
    mpFailed: 987,
    mpSignal: 88,
    agentRdzvDone: 533,
    agentStart: 678,
    agentStarting: 853,
    agentRdzv: 670,
    agentDeath: 713,
    agentRun: 704,
    agentInvoke: 872,
    agentFinished: 888,
    agentBarrier: 940,
    agentDone: 954,
    pg: {
      timeout: 757,
      detected: 2395,
      stack: 795,
      dumpFirst: 2222,
      dumpSignal: 1862,
      dumpPrepare: 1650,
      someOps: 809,
      takeDown: 823,
      terminated: 2025,
      checkTimeout: 760,
      watchdog: 2031,
      notDestroyed: 1605,
    },
    guid: true,
    dumps: true,
    py: { wrapped: 1776, call: 1787, tensorBackward: 625, autograd: 364, engine: 841 },
  },
};

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

/** The path torch's logging shows for its own files (`site-packages/torch/...` or `torch/...`). */
export function loggedPath(cfg: RunConfig, file: string): string {
  return pythonPaths(cfg).site.endsWith("site-packages")
    ? `site-packages/torch/${file}`
    : `torch/${file}`;
}

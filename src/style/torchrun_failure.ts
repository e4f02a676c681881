/**
 * A torchrun job losing a GPU, as the job's output shows it, for scripts without any restart
 * logic of their own (nanoGPT, the speedrun records): an ECC error raises in the failing worker
 * at once; a GPU that falls off the bus hangs its worker until the others' NCCL watchdog gives
 * up after ten minutes. Either way torchrun closes the node down and exits with its
 * ChildFailedError report (no restarts left), and the job is started again by hand or by Slurm.
 */
import type { LogEventOf } from "../sim/events.ts";
import { hostName, workerPid } from "../sim/names.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { lineRng } from "./ranks.ts";
import {
  agentFailure,
  backwardTraceback,
  cudaErrorLines,
  sitePackages,
  torchMinor,
} from "./torch_crash.ts";
import { watchdogTimeout } from "./nccl_watchdog.ts";

/** Python 3.11's carets under the failing call, or nothing before 3.11. */
function carets(cfg: RunConfig, indent: number, width: number): string[] {
  const [major, minor] = cfg.cluster.pythonVersion.split(".").map(Number);
  return major > 3 || minor >= 11 ? [" ".repeat(indent) + "^".repeat(width)] : [];
}

/** Where torchrun's own frames sit, by minor version: errors wrapper, main, run, api (2). */
const LAUNCHER_LINES: Record<number, number[]> = {
  3: [347, 879, 870, 132, 263],
  4: [355, 892, 883, 139, 270],
};

/** What a failed worker tells torchrun's report: its rank, exit code and pid. */
export interface ChildFailure {
  rank: number;
  exitcode: number;
  pid: number;
  host: string;
}

/**
 * torchrun's own exit when a worker failed and no restart is left: its traceback up to
 * ChildFailedError and the report naming the first failure (the root cause).
 */
export function childFailedError(cfg: RunConfig, script: string, f: ChildFailure, simMs: number) {
  const site = sitePackages(cfg);
  const bin = cfg.cluster.venv.replace(/python3?$/, "torchrun");
  const [wrap, main, run, call, launch] = LAUNCHER_LINES[Math.min(4, torchMinor(cfg))] ??
    LAUNCHER_LINES[4];
  const when = new Date(simMs).toISOString().slice(0, 19).replace("T", "_");
  const local = f.rank % cfg.gpusPerNode;
  const signal = f.exitcode < 0 ? `Signal ${-f.exitcode} (SIGABRT) received by PID ${f.pid}` : "";
  const rule = "=".repeat(60), thin = "-".repeat(60);
  return [
    "Traceback (most recent call last):",
    `  File "${bin}", line 8, in <module>`,
    "    sys.exit(main())",
    ...carets(cfg, 13, 6),
    `  File "${site}/torch/distributed/elastic/multiprocessing/errors/__init__.py", line ` +
    `${wrap}, in wrapper`,
    "    return f(*args, **kwargs)",
    ...carets(cfg, 11, 18),
    `  File "${site}/torch/distributed/run.py", line ${main}, in main`,
    "    run(args)",
    `  File "${site}/torch/distributed/run.py", line ${run}, in run`,
    "    elastic_launch(",
    `  File "${site}/torch/distributed/launcher/api.py", line ${call}, in __call__`,
    "    return launch_agent(self._config, self._entrypoint, list(args))",
    ...carets(cfg, 11, 56),
    `  File "${site}/torch/distributed/launcher/api.py", line ${launch}, in launch_agent`,
    "    raise ChildFailedError(",
    "torch.distributed.elastic.multiprocessing.errors.ChildFailedError: ",
    rule,
    `${script} FAILED`,
    thin,
    "Failures:",
    "  <NO_OTHER_FAILURES>",
    thin,
    "Root Cause (first observed failure):",
    "[0]:",
    `  time      : ${when}`,
    `  host      : ${f.host}`,
    `  rank      : ${f.rank} (local_rank: ${local})`,
    `  exitcode  : ${f.exitcode} (pid: ${f.pid})`,
    "  error_file: <N/A>",
    `  traceback : ${
      signal || "To enable traceback see: " +
        "https://pytorch.org/docs/stable/elastic/errors.html"
    }`,
    rule,
  ].join("\n");
}

/** The host a global rank runs on. */
function rankHost(cfg: RunConfig, rank: number): string {
  return hostName(cfg.cluster, Math.floor(rank / cfg.gpusPerNode));
}

/** The crash a writer is in the middle of, and how many times the job has started over. */
export interface CrashState {
  crash: { ecc: boolean; watchdogRank: number } | null;
  relaunches: number;
}

/** What differs between the scripts: where they live and where a CUDA error surfaces. */
export interface TorchJob {
  /** The style's name (seeds its lines' randomness). */
  style: string;
  /** The script's file name, as torchrun's report names it. */
  scriptName: string;
  scriptPath: (cfg: RunConfig) => string;
  frame: { line: number; code: string };
  /** The run as torch sees it (a style may run another PyTorch build than the cluster's). */
  torch: (cfg: RunConfig) => RunConfig;
  /** Whether a run of one process skips torchrun (`python train.py`): a plain traceback then. */
  plainSingleProcess: boolean;
}

/** Whether the job runs under torchrun (else a single `python` process). */
export function underTorchrun(job: TorchJob, cfg: RunConfig): boolean {
  return cfg.worldSize > 1 || !job.plainSingleProcess;
}

/** PIDs of a node's workers in the current launch (a relaunch gets new ones). */
export function pidBase(cfg: RunConfig, st: CrashState, node: number): number {
  return workerPid(cfg, node, 0) + st.relaunches * 211;
}

function torchrunExits(
  job: TorchJob,
  cfg: RunConfig,
  st: CrashState,
  rank: number,
  code: number,
  at: number,
) {
  const node = Math.floor(rank / cfg.gpusPerNode), local = rank % cfg.gpusPerNode;
  const base = pidBase(cfg, st, node);
  const failure = { rank, exitcode: code, pid: base + local, host: rankHost(cfg, rank) };
  const srun = cfg.nodes > 1
    ? [`srun: error: ${failure.host}: task ${node}: Exited with exit code 1`]
    : [];
  const t = job.torch(cfg);
  return [
    ...agentFailure(t, node, local, code, at, base),
    childFailedError(t, job.scriptName, failure, at + 2300),
    ...srun,
  ].join("\n");
}

/** The formatters of a GPU fault's lines for a torchrun job whose writer keeps a CrashState. */
export function torchFaultLines(job: TorchJob) {
  return {
    "fault.cuda": (ev: LogEventOf<"fault.cuda">, cfg: RunConfig, st: CrashState): string => {
      const { rank, ecc } = ev.data;
      st.crash = { ecc, watchdogRank: -1 };
      if (!ecc) return "";
      const error = cudaErrorLines("uncorrectable ECC error encountered");
      const torchrun = underTorchrun(job, cfg);
      const trace = backwardTraceback(
        job.torch(cfg),
        torchrun ? rank : -1,
        job.scriptPath(cfg),
        job.frame,
        error,
      );
      return torchrun
        ? [trace, torchrunExits(job, cfg, st, rank, 1, ev.simMs + 900)].join("\n")
        : trace;
    },
    "fault.watchdog": (ev: LogEventOf<"fault.watchdog">, cfg: RunConfig, st: CrashState) => {
      const d = ev.data;
      if (!st.crash || st.crash.ecc || d.rank < 0) return "";
      if (st.crash.watchdogRank < 0) st.crash.watchdogRank = d.rank;
      const work = { seq: d.seq, numel: d.numel, ranMs: d.ran_ms };
      const rng = lineRng(cfg, `${job.style}:${d.rank}`, ev);
      return watchdogTimeout(job.torch(cfg), d.rank, ev.simMs + d.ran_ms - 600000, work, rng);
    },
    "fault.elastic": (ev: LogEventOf<"fault.elastic">, cfg: RunConfig, st: CrashState) => {
      const c = st.crash;
      if (ev.data.action !== "failed" || !c || c.ecc || c.watchdogRank < 0) return "";
      return torchrunExits(job, cfg, st, c.watchdogRank, -6, ev.simMs);
    },
  };
}

/**
 * The real lines of a fault's or an early ending's facts under torchrun and Slurm, for any
 * framework style: the dying rank's error, the hung ranks' watchdogs, the launcher's reports,
 * srun's and slurmstepd's lines. Facts no job output shows (the kernel's Xid, fauxtrain's own
 * notes) print nothing. A style passes its launcher prefix, rank filter and script frames.
 */
import type { LogEvent, LogEventOf } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { workerPid } from "../sim/names.ts";
import { launchOf, lineRng, startupRanks } from "./ranks.ts";
import {
  cudaErrorLines,
  type FaultView,
  oomLines,
  pyLines,
  watchdogLines,
} from "./torch_faults.ts";
import {
  agentExitLines,
  agentSignalLines,
  agentSignalTraceback,
  type AgentView,
} from "./torchrun_exit.ts";
import { onSlurm, srunErrorLines, stepAbortedLine, timeLimitLine } from "./slurm_lines.ts";
import { pyTraceback } from "./tracebacks.ts";
import { crashLines } from "./crash_faults.ts";
import { defaultFrames } from "./torch_frames.ts";
import { pythonMinor } from "./torch_source.ts";

/** A style's view of fault lines: how ranks show, and how the launcher reports. */
export interface FaultStyle {
  style: string;
  view: FaultView;
  agent: AgentView;
}

/** The plain view: no launcher prefix, every rank shown, a `train.py` entry point. */
export function plainFaultStyle(cfg: RunConfig, style: string): FaultStyle {
  return {
    style,
    view: { tee: () => "", shows: () => true },
    agent: { entrypoint: cfg.cluster.script },
  };
}

/** The workers of `node` in the current launch. */
function nodePids(cfg: RunConfig, launch: number) {
  return (node: number) =>
    Array.from({ length: cfg.gpusPerNode }, (_, l) => workerPid(cfg, node, l, launch));
}

/** Ctrl-C reaches every worker: each shown rank's KeyboardInterrupt traceback. */
function keyboardInterrupts(cfg: RunConfig, fs: FaultStyle): string[] {
  const frames = (fs.view.frames ?? defaultFrames)(cfg, "interrupt");
  const tb = pyTraceback(frames, "KeyboardInterrupt", pythonMinor(cfg) >= 11);
  if (fs.view.single) return [tb.join("\n")];
  return startupRanks(cfg).filter(fs.view.shows).slice(0, 8).flatMap((r) =>
    pyLines(fs.view, r, tb)
  );
}

function interruptLines(ev: LogEventOf<"interrupt">, cfg: RunConfig, fs: FaultStyle): string {
  // A lone process dies of Ctrl-C with its traceback, and of SIGTERM without a word.
  if (fs.view.single) {
    return ev.data.signal === "SIGINT" && ev.data.step > 0
      ? keyboardInterrupts(cfg, fs)[0] ?? ""
      : "";
  }
  const pids = nodePids(cfg, launchOf(ev));
  const agents = agentSignalLines(ev, cfg, pids);
  if (ev.data.cause === "time_limit" && onSlurm(cfg)) {
    const step = timeLimitLine(cfg, ev.simMs, "STEP"), job = timeLimitLine(cfg, ev.simMs, "JOB");
    // srun reports first; slurmstepd's two lines land among the launchers' lines as each
    // process's write reaches the file (the step's before the job's).
    const lines = agents === "" ? [] : agents.split("\n");
    const rng = lineRng(cfg, fs.style, ev);
    const at = rng.int(0, Math.min(lines.length, 4));
    const later = rng.int(at, lines.length);
    return [
      stepAbortedLine(cfg),
      ...lines.slice(0, at),
      step,
      ...lines.slice(at, later),
      job,
      ...lines.slice(later),
    ].join("\n");
  }
  const workers = ev.data.signal === "SIGINT" && ev.data.step > 0
    ? keyboardInterrupts(cfg, fs)
    : [];
  return [agents, ...workers].join("\n");
}

/** The real lines of a `fault.*` or `interrupt*` fact ("" where no tool prints anything). */
export function faultFactLines(ev: LogEvent, cfg: RunConfig, fs: FaultStyle): string {
  // A lone process has no launcher to report it, nor hung peers.
  if (fs.view.single && !["fault.cuda", "fault.oom", "fault.crash", "interrupt"].includes(ev.key)) {
    return "";
  }
  switch (ev.key) {
    case "fault.cuda":
      return cudaErrorLines(ev, cfg, fs.view);
    case "fault.oom":
      return oomLines(ev, cfg, fs.view);
    case "fault.crash":
      return crashLines(ev, cfg, fs.view);
    case "fault.watchdog":
      return watchdogLines(ev, cfg, fs.view);
    case "fault.exit":
      // A node's launcher report is in the log with its workers' lines, or not at all.
      return fs.view.shows(ev.data.node * cfg.gpusPerNode) ||
          ev.data.failed.some((w) => fs.view.shows(w.rank))
        ? agentExitLines(ev, cfg, fs.agent)
        : "";
    case "fault.srun":
      return srunErrorLines(ev, cfg, fs.style);
    case "interrupt":
      return interruptLines(ev, cfg, fs);
    case "interrupt.shutdown":
      return agentSignalTraceback(ev, cfg);
    default:
      return "";
  }
}

/** Whether `ev` is a fault or early-ending fact (the keys this module words). */
export function isFaultFact(ev: LogEvent): boolean {
  return ev.key.startsWith("fault.") || ev.key.startsWith("interrupt");
}

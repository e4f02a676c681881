/**
 * The batch script around a Hugging Face or DeepSpeed launch, drawn once per run, and what it
 * adds to the job's log: most scripts print nothing of their own; some run under `set -x`
 * (then bash traces EVERY command they run, not only the launch); a few print `nvidia-smi`
 * before launching, and fewer start a GPU monitor in the background or check the GPUs again
 * later. GPU output in a job log is the script's doing, so it is rare and follows the script.
 */
import type { DataEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { gpuMonitorLines, type GpuMonitorState } from "./gpu_monitor.ts";

type GpuEvent = Extract<DataEvent, { type: "gpu" }>;

/** What the run's job script does besides launching training. */
export interface JobScript {
  /** `set -x`: each command the script runs shows as `+ command` on stderr. */
  trace: boolean;
  /** It prints `nvidia-smi` once before launching. */
  smiAtStart: boolean;
  /** A background `sleep N; nvidia-smi` loop (the simulation's later checks) is in the script. */
  smiLater: boolean;
  /** It starts a GPU monitor (`nvidia-smi dmon`, `--query-gpu … -l N`) beside training. */
  monitor: boolean;
}

/** Draws the job script of a run (`family` keeps HF's and DeepSpeed's draws apart). */
export function jobScript(cfg: RunConfig, family: "hf" | "deepspeed"): JobScript {
  const rng = createRng(cfg.seed, `style:${family}:job-script`);
  // Scripts people keep for training jobs: mostly plain; some debugged with `set -x`; a few
  // record the GPUs' state, more often once at the start than all along.
  const trace = rng.chance(0.22);
  const smiAtStart = rng.chance(0.14);
  const watch = rng.next();
  return {
    trace,
    smiAtStart,
    smiLater: watch < 0.05,
    monitor: watch >= 0.05 && watch < 0.13,
  };
}

/** The traced form of the script's commands (none when it does not run under `set -x`). */
export function traced(script: JobScript, commands: readonly string[]): string[] {
  return script.trace ? commands.map((c) => `+ ${c}`) : [];
}

/**
 * A monitor state whose tool is the script's: `none` unless the script starts one. The drawn
 * tool (dmon or --query-gpu) stays the monitor plan's.
 */
export function scriptMonitor(script: JobScript, st: GpuMonitorState): GpuMonitorState {
  if (!script.monitor && st.plan.tool !== "none") st.plan = { ...st.plan, tool: "none" };
  return st;
}

/**
 * The GPU lines a reading adds to the job log: the script's own `nvidia-smi` tables (at the
 * start and later only when the script has them) and its monitor's sample, if any.
 */
export function scriptGpuLines(
  ev: GpuEvent,
  cfg: RunConfig,
  script: JobScript,
  st: GpuMonitorState,
): string {
  const snap = ev.data.snapshot;
  const keep = snap === "start" ? script.smiAtStart : snap === "run" ? script.smiLater : false;
  if (snap !== undefined && !keep) {
    const { snapshot: _dropped, ...data } = ev.data;
    return gpuMonitorLines({ ...ev, data }, cfg, st);
  }
  return gpuMonitorLines(ev, cfg, st);
}

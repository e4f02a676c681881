/**
 * What Slurm itself writes into a job's output: `srun: error: host: task N: Exited with exit
 * code 1` as the step's tasks die, and slurmstepd's cancellation at the time limit.
 */
import type { LogEventOf } from "../sim/events.ts";
import { hostName } from "../sim/names.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { lineRng, nodeClockMs, shuffled } from "./ranks.ts";

/** Whether the job runs under Slurm (Kubernetes pods have no srun and no slurmstepd). */
export function onSlurm(cfg: RunConfig): boolean {
  return cfg.cluster.scheme.kind !== "k8s";
}

/**
 * srun's report of each task that exited non-zero, in the order srun heard of them; a task whose
 * cgroup saw the OOM killer reads `Out Of Memory`, after slurmstepd's count of the kills.
 */
export function srunErrorLines(
  ev: LogEventOf<"fault.srun">,
  cfg: RunConfig,
  style: string,
): string {
  if (!onSlurm(cfg)) return "";
  const tasks = shuffled(ev.data.tasks, lineRng(cfg, style, ev));
  const kills = tasks.reduce((n, t) => n + (t.oom_kills ?? 0), 0);
  const stepd = kills > 0 ? [oomKillLine(cfg, kills)] : [];
  return [
    ...stepd,
    ...tasks.map((t) =>
      `srun: error: ${hostName(cfg.cluster, t.node)}: task ${t.task}: ` +
      (t.oom_kills ? "Out Of Memory" : `Exited with exit code ${t.exit_code}`)
    ),
  ].join("\n");
}

/**
 * slurmstepd's count of a step's OOM-killer events: Slurm 22.05 and later word it per StepId;
 * the older releases some clusters still run say the cgroup handler may have killed processes.
 */
export function oomKillLine(cfg: RunConfig, kills: number): string {
  const step = `StepId=${cfg.cluster.jobId}.0`;
  if (cfg.cluster.layout.salt % 5 === 2) {
    return `slurmstepd: error: Detected ${kills} oom-kill event(s) in ${step}. Some of your ` +
      "processes may have been killed by the cgroup out-of-memory handler.";
  }
  return `slurmstepd: error: Detected ${kills} oom_kill event${kills === 1 ? "" : "s"} in ` +
    `${step}. Some of the step tasks have been OOM Killed.`;
}

/** Seconds srun says it waits for a cancelled step: the cluster's KillWait plus two. */
export function killWaitS(cfg: RunConfig): number {
  return cfg.cluster.layout.salt % 4 === 0 ? 62 : 32;
}

/** slurmstepd's banner for a step or job cancelled at the time limit. */
export function timeLimitLine(cfg: RunConfig, simMs: number, what: "STEP" | "JOB"): string {
  const c = cfg.cluster;
  const at = new Date(nodeClockMs(cfg, 0, simMs)).toISOString().slice(0, 19);
  const id = what === "STEP" ? `${c.jobId}.0` : String(c.jobId);
  const daemon = c.layout.salt % 3 === 1 ? `slurmstepd-${hostName(c, 0)}` : "slurmstepd";
  return `${daemon}: error: *** ${what} ${id} ON ${
    hostName(c, 0)
  } CANCELLED AT ${at} DUE TO TIME LIMIT ***`;
}

/** srun's notice that it is waiting for the cancelled step's tasks. */
export function stepAbortedLine(cfg: RunConfig): string {
  return `srun: Job step aborted: Waiting up to ${killWaitS(cfg)} seconds for job step to finish.`;
}

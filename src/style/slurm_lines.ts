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

/** srun's report of each task that exited non-zero, in the order srun heard of them. */
export function srunErrorLines(
  ev: LogEventOf<"fault.srun">,
  cfg: RunConfig,
  style: string,
): string {
  if (!onSlurm(cfg)) return "";
  const tasks = shuffled(ev.data.tasks, lineRng(cfg, style, ev));
  return tasks.map((t) =>
    `srun: error: ${
      hostName(cfg.cluster, t.node)
    }: task ${t.task}: Exited with exit code ${t.exit_code}`
  ).join("\n");
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

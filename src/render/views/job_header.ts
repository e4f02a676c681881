/**
 * The live region's title line, as a cluster's job monitor heads a running job: the scheduler's
 * job id and name, user, partition, nodes and their node list, GPUs, and the time the job has
 * run against its limit. A pure function of the job's facts and the simulated clock.
 */
import { crop, paint } from "../ansi.ts";
import type { RunConfig } from "../../sim/run_config.ts";
import { nodeList } from "../../sim/names.ts";

/** The facts the header shows, as the scheduler knows the job. */
export interface JobHeader {
  jobId: number;
  /** The job's name (the run's name). */
  name: string;
  user: string;
  partition: string;
  nodes: number;
  /** Slurm's compressed node list, e.g. `gpu-a1[001-064]`. */
  nodeList: string;
  /** The job's GPUs, e.g. `128 × NVIDIA H100 80GB HBM3`. */
  gpus: string;
  /** Simulated instant the job started, ms since the epoch. */
  startMs: number;
  /** Seconds the scheduler lets the job run, or null when no limit ends it. */
  limitS: number | null;
}

/** The header of a run's job: its cluster's scheduler facts, the run's name as the job's. */
export function jobHeaderFor(cfg: RunConfig): JobHeader {
  return {
    jobId: cfg.cluster.jobId,
    name: cfg.runId,
    user: cfg.cluster.user,
    partition: cfg.cluster.partition,
    nodes: cfg.nodes,
    nodeList: nodeList(cfg),
    gpus: `${cfg.worldSize} × ${cfg.gpu.name}`,
    startMs: cfg.startMs,
    limitS: cfg.timeLimitMs === null ? null : (cfg.timeLimitMs - cfg.startMs) / 1000,
  };
}

/** Slurm's elapsed-time format: `HH:MM:SS`, or `D-HH:MM:SS` from a day on (seconds floored). */
export function slurmDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  const hms = `${two(Math.floor(s / 3600) % 24)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
  return s >= 86_400 ? `${Math.floor(s / 86_400)}-${hms}` : hms;
}

const SEPARATOR = " · ";

/**
 * The header for `elapsedS` seconds of run time, in `width` columns: the job and its name
 * always (cropped when nothing else fits), then as many of the other fields as fit, taken in
 * order of use to a watcher (run time, nodes, partition, GPUs, user), each in its longest form
 * that fits, and shown in reading order.
 */
export function jobHeaderLine(
  job: JobHeader,
  elapsedS: number,
  width: number,
  color: boolean,
): string {
  const elapsed = slurmDuration(elapsedS);
  const limit = job.limitS === null ? "" : slurmDuration(job.limitS);
  const nodes = `${job.nodes} node${job.nodes === 1 ? "" : "s"}`;
  // Each field's forms, longest first, with its priority; in reading order.
  const fields: Array<[forms: string[], priority: number]> = [
    [[`job ${job.jobId} ${job.name}`], 0],
    [[`user ${job.user}`], 5],
    [[`partition ${job.partition}`], 3],
    [[`${nodes} ${job.nodeList}`, nodes], 2],
    [[job.gpus], 4],
    [limit ? [`elapsed ${elapsed} / ${limit}`, `${elapsed}/${limit}`] : [`elapsed ${elapsed}`], 1],
  ];
  const shown: string[] = Array(fields.length).fill("");
  let used = -SEPARATOR.length;
  for (let priority = 0; priority < fields.length; priority++) {
    const i = fields.findIndex((f) => f[1] === priority);
    const form = priority === 0
      ? fields[i][0][0]
      : fields[i][0].find((f) => used + SEPARATOR.length + f.length <= width);
    if (form === undefined) continue;
    shown[i] = form;
    used += SEPARATOR.length + form.length;
  }
  const line = shown.filter((f) => f !== "").join(SEPARATOR);
  return crop(paint(line, "dim", color), width);
}

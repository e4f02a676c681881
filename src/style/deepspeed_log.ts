/**
 * How DeepSpeed's records read on the console of a `deepspeed` launch: Python logging's
 * `[date time,ms] [LEVEL] [file.py:line:func] msg`, `log_dist`'s `[Rank 0] `, the pdsh
 * `host: ` prefix on every line a remote node prints, and which ranks' lines are shown.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { pyLogTime } from "../format/clock.ts";
import { nodeOf, pdshPrefix, startupNodes } from "./ranks.ts";
import { DEEPSPEED_0_16_9, type DsRelease, type DsSites } from "./deepspeed_release.ts";

/** A record's level, as Python logging names it. */
export type DsLevel = "INFO" | "WARNING" | "ERROR";

/** The release a run uses (one for every run: the sites are read from its source). */
export function dsRelease(_cfg: RunConfig): DsRelease {
  return DEEPSPEED_0_16_9;
}

/** One record without host prefix: `[2026-11-24 09:00:03,367] [INFO] [where] msg`. */
export function dsRecord(
  simMs: number,
  where: string,
  msg: string,
  level: DsLevel = "INFO",
): string {
  return `[${pyLogTime(simMs)}] [${level}] [${where}] ${msg}`;
}

/** The pdsh prefix of a node's lines (none for a single-node launch without hostfile). */
export function hostPrefix(cfg: RunConfig, node: number): string {
  return pdshPrefix(cfg, node);
}

/** A record printed on `node`, with that node's pdsh prefix. */
export function nodeRecord(
  cfg: RunConfig,
  node: number,
  simMs: number,
  where: string,
  msg: string,
  level: DsLevel = "INFO",
): string {
  return hostPrefix(cfg, node) + dsRecord(simMs, where, msg, level);
}

/** A record printed by global rank `rank` (on its node). */
export function rankRecord(
  cfg: RunConfig,
  rank: number,
  simMs: number,
  where: string,
  msg: string,
  level: DsLevel = "INFO",
): string {
  return nodeRecord(cfg, nodeOf(cfg, rank), simMs, where, msg, level);
}

/** A `log_dist(..., ranks=[0])` record: rank 0, `[Rank 0] ` before the message. */
export function rank0(cfg: RunConfig, sites: DsSites, simMs: number, msg: string): string {
  return nodeRecord(cfg, 0, simMs, sites.logDist, `[Rank 0] ${msg}`);
}

/** A plain `print()` from a rank: the pdsh prefix and the text. */
export function printed(cfg: RunConfig, node: number, text: string): string {
  return hostPrefix(cfg, node) + text;
}

/**
 * Nodes whose per-rank lines are shown: every node up to eight, else the first seven and the
 * last (a log of hundreds of nodes repeats the same lines per host).
 */
export function shownNodes(cfg: RunConfig): number[] {
  return startupNodes(cfg, 8);
}

/** Global ranks whose per-rank lines are shown: all ranks of the shown nodes. */
export function shownRanks(cfg: RunConfig): number[] {
  const g = cfg.gpusPerNode;
  return shownNodes(cfg).flatMap((n) => Array.from({ length: g }, (_, i) => n * g + i));
}

/** Lines with their instants, sorted by time (stable), as one message. */
export function byTime(lines: ReadonlyArray<readonly [number, string]>): string {
  return [...lines].sort((a, b) => a[0] - b[0]).map(([, line]) => line).join("\n");
}

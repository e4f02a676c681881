/**
 * How DeepSpeed's records read on the console of a `deepspeed` launch: Python logging's
 * `[date time,ms] [LEVEL] [file.py:line:func] msg`, `log_dist`'s `[Rank 0] `, the pdsh
 * `host: ` prefix on every line a remote node prints, and which ranks' lines are shown.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { pyLogTime } from "../format/clock.ts";
import { nodeOf, pdshPrefix, startupNodes } from "./ranks.ts";
import { createRng } from "../sim/rng.ts";
import { dsLauncher } from "./deepspeed_launcher.ts";
import { DS_RELEASES, type DsRelease, type DsSites } from "./deepspeed_release.ts";

/** A record's level, as Python logging names it. */
export type DsLevel = "INFO" | "WARNING" | "ERROR";

/** Months of 30.44 days, in ms. */
const MONTH_MS = 30.44 * 86_400_000;

/**
 * How often an environment runs a release `ageMs` old when the run starts: a fresh release is
 * still being adopted, most run one up to a year old, older pins fade but never vanish.
 */
export function releaseWeight(ageMs: number): number {
  const months = ageMs / MONTH_MS;
  if (months < 1) return 0.5;
  if (months <= 12) return 1;
  return Math.max(0.1, Math.exp(-(months - 12) / 12));
}

/** Whether a torch version string ("2.6.0+cu126") is 2.6 or newer, where `torch.load` turned safe. */
function loadsWeightsOnly(version: string): boolean {
  const [major, minor] = version.split(".").map(Number);
  return major > 2 || (major === 2 && minor >= 6);
}

/**
 * The release a run uses, drawn from its seed among the modelled releases out when it starts
 * (the oldest when none is) that load checkpoints under the cluster's torch, by `releaseWeight`.
 */
export function dsRelease(cfg: RunConfig): DsRelease {
  const torch26 = loadsWeightsOnly(cfg.cluster.torchVersion);
  const usable = DS_RELEASES.filter((r) => !torch26 || r.loadsPicklesUnderTorch26);
  const out = usable.filter((r) => r.releasedMs <= cfg.startMs);
  const pool = out.length > 0 ? out : [usable[usable.length - 1]];
  const weights = pool.map((r) => releaseWeight(cfg.startMs - r.releasedMs));
  return createRng(cfg.seed, "style:deepspeed:release").weighted(pool, weights);
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

/** The pdsh prefix of a node's lines (none on one node, nor from mpirun or torchrun under srun). */
export function hostPrefix(cfg: RunConfig, node: number): string {
  return cfg.nodes > 1 && dsLauncher(cfg).kind === "pdsh" ? pdshPrefix(cfg, node) : "";
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

/**
 * Many ranks at once: which ranks print start-up lines, the prefixes launchers put on them,
 * deterministic interleavings (seeded per style and line, never an unseeded source) and the
 * per-node clocks that stamp them.
 */
import type { LogEvent, OutputEvent } from "../sim/events.ts";
import { hostName } from "../sim/names.ts";
import { launcherPid, nodeSkewMs, rankDelayMs } from "../sim/processes.ts";
import { createRng, type Rng } from "../sim/rng.ts";
import { decimal } from "../format/units.ts";
import type { RunConfig } from "../sim/run_config.ts";

/** Node of a global rank. */
export function nodeOf(cfg: RunConfig, rank: number): number {
  return Math.floor(rank / cfg.gpusPerNode);
}

/** Ranks whose start-up lines are shown: every GPU of the first node and of the last. */
export function startupRanks(cfg: RunConfig): number[] {
  const g = cfg.gpusPerNode;
  const first = Array.from({ length: g }, (_, i) => i);
  if (cfg.nodes === 1) return first;
  return [...first, ...first.map((i) => (cfg.nodes - 1) * g + i)];
}

/** Nodes whose launcher lines are shown (at most `max`, first and last always among them). */
export function startupNodes(cfg: RunConfig, max = 8): number[] {
  if (cfg.nodes <= max) return Array.from({ length: cfg.nodes }, (_, i) => i);
  return [...Array.from({ length: max - 1 }, (_, i) => i), cfg.nodes - 1];
}

/** torch elastic's `--tee` prefix: role and local rank, `[default7]:`. */
export function teePrefix(cfg: RunConfig, rank: number, role = "default"): string {
  return `[${role}${rank % cfg.gpusPerNode}]:`;
}

/** The pdsh prefix the DeepSpeed multi-node launcher puts on every line: `host: `. */
export function pdshPrefix(cfg: RunConfig, node: number): string {
  return cfg.nodes > 1 ? `${hostName(cfg.cluster, node)}: ` : "";
}

/** Every line of a (possibly multi-line) message with `prefix` in front. */
export function prefixLines(prefix: string, text: string): string {
  if (prefix === "" || text === "") return text;
  return text.split("\n").map((line) => prefix + line).join("\n");
}

/** The random stream of one styled line: the style, the line's key and its instant. */
export function lineRng(cfg: RunConfig, style: string, ev: OutputEvent): Rng {
  const key = ev.type === "log" ? (ev as LogEvent).key : ev.type;
  // decimal(), not `${ev.simMs}`: V8's number-string cache would keep every line's instant,
  // and its text, alive through the young generation's collections.
  return createRng(cfg.seed, `style:${style}:${key}:${decimal(ev.simMs)}`);
}

/** A shuffled copy (Fisher–Yates on the given stream). */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Merges blocks of lines as concurrent writers would: each block in order, blocks mixed by when
 * their lines are written. Each writer starts a little after the others (most close together,
 * a few late) and writes its lines in quick runs with pauses between them where it works, so
 * the merge comes in bursts of one writer, never in turns.
 */
export function interleave(blocks: readonly string[][], rng: Rng): string[] {
  const timed = blocks.flatMap((block, b) => {
    let t = -Math.log(1 - rng.next() * 0.999) * 2;
    return block.map((text, i) => {
      t += rng.chance(0.75) ? rng.range(0.002, 0.04) : rng.range(0.3, 4);
      return { t, b, i, text };
    });
  });
  timed.sort((x, y) => x.t - y.t || x.b - y.b || x.i - y.i);
  return timed.map((x) => x.text);
}

/** One block per rank, mixed: `lines(rank)` gives that rank's lines in order. */
export function perRank(
  ranks: readonly number[],
  rng: Rng,
  lines: (rank: number) => string[],
): string {
  return interleave(shuffled(ranks, rng).map(lines), rng).join("\n");
}

/** Process id of node `node`'s launcher agent (torchrun or the DeepSpeed launcher). */
export function agentPid(cfg: RunConfig, node: number, launch = 0): number {
  return launcherPid(cfg.cluster.layout, node, launch);
}

/** Which launch of the job an event belongs to: 0, then 1, 2, ... after each restart. */
export function launchOf(ev: OutputEvent): number {
  const data = (ev as { data?: { restart?: number } }).data;
  return data?.restart ?? 0;
}

/**
 * The clock reading on `rank`'s node when that rank logs something every rank logs at about
 * `simMs`: the node's skew plus the rank's own delay (up to `spreadMs`; `salt` names the moment).
 */
export function rankClockMs(
  cfg: RunConfig,
  rank: number,
  simMs: number,
  salt: number,
  spreadMs = 40,
): number {
  const p = cfg.cluster.layout;
  return simMs + nodeSkewMs(p, nodeOf(cfg, rank)) + rankDelayMs(p, rank, salt, spreadMs);
}

/** The clock reading on `node` at `simMs` (its skew only). */
export function nodeClockMs(cfg: RunConfig, node: number, simMs: number): number {
  return simMs + nodeSkewMs(cfg.cluster.layout, node);
}

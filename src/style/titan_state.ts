/**
 * The torchrun style's memory between lines (the torchtitan job, the metrics window, the micro
 * batch in use) and torchtitan's logger on each shown node's local rank 0.
 */
import type { OutputEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { reservedBlocksGiB } from "../sim/gpu_memory.ts";
import { lineRng, nodeClockMs, startupNodes, startupRanks } from "./ranks.ts";
import { titanHead, type TitanJob, titanJob } from "./titan_lines.ts";

/** The style's name, which also salts its line streams. */
export const NAME = "torchrun";

/** What the style remembers between lines: the job, the metrics window, the batch in use. */
export interface TitanState {
  job: TitanJob;
  /** Simulated time and step of the last metrics line (or of the trainer's start). */
  lastLogMs: number;
  lastLogStep: number;
  /** No metrics line yet in this launch (its peak memory is from before the optimizer's states). */
  fresh: boolean;
  microBatch: number;
  gradAccum: number;
  /** The last worker exception's traceback, as its `@record` writes it to the error file. */
  lastError: string[] | null;
  /** Each shown rank's last logger time: one process logs in order, whatever the events' ties. */
  stamps: Map<number, number>;
}

/** Nodes whose ranks are shown (every node's rank 0 passes the filter; a few are shown). */
export function shownNodes(cfg: RunConfig): number[] {
  return startupNodes(cfg, 4);
}

/**
 * Ranks whose logger lines the log holds: each shown node's local rank 0 through the filter of
 * one node's run_train.sh, every local rank of the first and last node under the multi-node
 * script (all of them print; a few nodes' worth are shown).
 */
export function loggingRanks(cfg: RunConfig, job: TitanJob): number[] {
  return job.filtered ? shownNodes(cfg).map((n) => n * cfg.gpusPerNode) : startupRanks(cfg);
}

/** The prefix torchrun's tee puts on a rank's lines: `[rank0]:` through the filter, else none. */
export function titanTee(job: TitanJob, rank: number, cfg: RunConfig): string {
  return job.filtered ? `[rank${rank % cfg.gpusPerNode}]:` : "";
}

/** A logger message: its text, or its text with a level and an offset from the event, ms. */
export type Said = string | { text: string; level?: string; atMs?: number };

/**
 * The logger's lines from each shown rank, each stamped by its node's clock and merged in the
 * order they were really written (a rank's own lines in order, ranks mixed by their timing). The
 * nodes' clocks agree to a few ms, and what reaches the job's log first carries the earlier stamp:
 * a merged log reads in time order.
 */
export function fromRanks(
  ev: OutputEvent,
  cfg: RunConfig,
  st: TitanState,
  lines: (node: number, local: number) => Said[],
  level = "INFO",
): string {
  const rng = lineRng(cfg, NAME, ev);
  const written: Array<{ t: number; text: string }> = [];
  for (const rank of loggingRanks(cfg, st.job)) {
    const node = Math.floor(rank / cfg.gpusPerNode), local = rank % cfg.gpusPerNode;
    // Ranks reach the same moment a little apart: most within a few ms, some tens of ms late.
    const late = rng.chance(0.15) ? rng.range(8, 60) : rng.range(0, 6);
    let t = Math.max(ev.simMs + late, st.stamps.get(rank) ?? 0);
    for (const said of lines(node, local)) {
      const m = typeof said === "string" ? { text: said } : said;
      t += m.atMs ?? rng.range(0.05, 2);
      const clock = nodeClockMs(cfg, node, t);
      written.push({
        t: clock,
        text: `${titanTee(st.job, rank, cfg)}${titanHead(clock, m.level ?? level)}${m.text}`,
      });
    }
    st.stamps.set(rank, t);
  }
  return written.sort((a, b) => a.t - b.t).map((w) => w.text).join("\n");
}

/** Memory the allocator has reserved at its peak for the run's current micro batch, GiB. */
export function peakReserved(cfg: RunConfig, st: TitanState): number {
  const m = cfg.plan.memory;
  const acts = m.activationsGiB * (st.microBatch / cfg.plan.microBatch);
  // The CUDA context and NCCL's buffers are outside the caching allocator.
  const total = m.weightsGiB + m.gradsGiB + m.optimizerGiB + acts + m.overheadGiB - 1.2;
  return reservedBlocksGiB(st.fresh ? total - m.optimizerGiB * 0.9 : total);
}

/** The state of a fresh run, before its first line. */
export function initTitan(cfg: RunConfig): TitanState {
  return {
    job: titanJob(cfg),
    lastLogMs: cfg.startMs,
    lastLogStep: 0,
    fresh: true,
    microBatch: cfg.plan.microBatch,
    gradAccum: cfg.gradAccum,
    lastError: null,
    stamps: new Map(),
  };
}

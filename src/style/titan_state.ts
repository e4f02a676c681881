/**
 * The torchrun style's memory between lines (the torchtitan job, the metrics window, the micro
 * batch in use) and torchtitan's logger on each shown node's local rank 0.
 */
import type { OutputEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { reservedBlocksGiB } from "../sim/gpu_memory.ts";
import { interleave, lineRng, nodeClockMs, startupNodes } from "./ranks.ts";
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
  /** Each shown node's last logger time: one process logs in order, whatever the events' ties. */
  stamps: Map<number, number>;
}

/** Nodes whose local rank 0 is shown (every node's rank 0 passes the filter; a few are shown). */
export function shownNodes(cfg: RunConfig): number[] {
  return startupNodes(cfg, 4);
}

/** A logger message: its text, or its text with a level and an offset from the event, ms. */
export type Said = string | { text: string; level?: string; atMs?: number };

/** The logger's lines from each shown node's rank 0, each node on its own clock, mixed. */
export function fromRanks(
  ev: OutputEvent,
  cfg: RunConfig,
  st: TitanState,
  lines: (node: number) => Said[],
  level = "INFO",
): string {
  const rng = lineRng(cfg, NAME, ev);
  const blocks = shownNodes(cfg).map((node) => {
    const last = st.stamps.get(node) ?? 0;
    let at = Math.max(nodeClockMs(cfg, node, ev.simMs + rng.range(0, 12)), last);
    const out = lines(node).map((said) => {
      const m = typeof said === "string" ? { text: said } : said;
      at += m.atMs ?? rng.range(0.05, 2);
      return `[rank0]:${titanHead(at, m.level ?? level)}${m.text}`;
    });
    st.stamps.set(node, at);
    return out;
  });
  return interleave(blocks, rng).join("\n");
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

/**
 * The tqdm bars every rank of the fine-tuning script draws on its own stderr: the training bar
 * (`update(1)` after each optimizer step, a refresh at every batch's `set_description`), the
 * evaluation bar and transformers' checkpoint-shard bar. The log holds each frame as a line (the
 * `\r` between frames reads as a break), the ranks' frames mixed in the order they were written.
 */
import { close, describe, openBar, type TqdmBar, update } from "../format/tqdm_bar.ts";

/** A line one rank wrote at `t` (simulated seconds). */
export interface Written {
  t: number;
  text: string;
}

/** The lines of what a bar call wrote: its frames without the `\r`s and the closing newline. */
export function frames(raw: string, t: number): Written[] {
  return raw.split("\r").map((s) => s.replace(/\n$/, "")).filter((s) => s !== "").map((text) => ({
    t,
    text,
  }));
}

/** One bar per shown rank. */
export type RankBars = Map<number, TqdmBar>;

/** Opens a bar on every rank, each at its own instant (`atS(rank)`). */
export function openBars(
  ranks: readonly number[],
  desc: string,
  total: number,
  atS: (rank: number) => number,
): [RankBars, Written[]] {
  const bars: RankBars = new Map();
  const out: Written[] = [];
  for (const r of ranks) {
    const t = atS(r);
    const [bar, raw] = openBar({ desc, total }, t);
    bars.set(r, bar);
    out.push(...frames(raw, t));
  }
  return [bars, out];
}

/** `update(1)` on one rank's bar at `t`: a frame when tqdm's interval rules let one through. */
export function step(bar: TqdmBar, t: number): Written[] {
  return frames(update(bar, 1, t), t);
}

/** `set_description(desc)` on one rank's bar at `t` (it refreshes). */
export function redescribe(bar: TqdmBar, desc: string, t: number): Written[] {
  return frames(describe(bar, desc, t), t);
}

/** `close()` on every rank's bar: the last frame at the average rate. */
export function closeBars(bars: RankBars, atS: (rank: number) => number): Written[] {
  return [...bars].flatMap(([r, bar]) => frames(close(bar, atS(r)), atS(r)));
}

/** Lines of several ranks in the order they were written. */
export function merged(lines: Written[]): string[] {
  return [...lines].sort((a, b) => a.t - b.t).map((w) => w.text);
}

/** `close()` on one bar at `t`. */
export function closeOne(bar: TqdmBar, t: number): Written[] {
  return frames(close(bar, t), t);
}

/**
 * --instant throughput: a whole run's output, timed from spawn to the end of stdout, against a
 * baseline that replays the same bytes, already formatted, from memory.
 */
import { median, round } from "../lib/stats.ts";
import { type TimedRun, timeRun } from "../lib/spawn.ts";

/** Lines and megabytes (10^6 bytes) per second of one program. */
export interface Rate {
  wallMs: number;
  linesPerS: number;
  mbPerS: number;
  /** Lines per second from the first byte on (the runtime's own start-up left out). */
  streamLinesPerS: number;
}

/** fauxtrain against the replay baseline for one format and cluster size. */
export interface ThroughputResult {
  format: "text" | "jsonl";
  gpus: number;
  lines: number;
  bytes: number;
  fauxtrain: Rate;
  baseline: Rate;
  /** Baseline wall time over fauxtrain's: the share of the time spent on real output. */
  ratio: number;
  raw: { fauxtrainMs: number[]; baselineMs: number[] };
}

function rate(lines: number, bytes: number, runs: TimedRun[]): Rate {
  const wallMs = median(runs.map((r) => r.endMs));
  const streamMs = median(runs.map((r) => r.endMs - r.firstByteMs));
  return {
    wallMs: round(wallMs, 1),
    linesPerS: Math.round(lines / (wallMs / 1000)),
    mbPerS: round(bytes / 1e6 / (wallMs / 1000)),
    streamLinesPerS: Math.round(lines / (streamMs / 1000)),
  };
}

/** Captures one run, then times `rounds` interleaved runs of it and of the replay baseline. */
export async function throughputOf(
  format: "text" | "jsonl",
  nodes: number,
  fauxtrain: string[],
  replay: string[],
  rounds: number,
): Promise<ThroughputResult> {
  const args = [...fauxtrain, "--format", format, "--nodes", String(nodes)];
  const captured = await timeRun("deno", args, { keep: true });
  const output = captured.output!;
  const ours: TimedRun[] = [], base: TimedRun[] = [];
  for (let i = 0; i < rounds; i++) {
    const run = await timeRun("deno", args);
    if (run.bytes !== captured.bytes) throw new Error(`${format} output changed between runs`);
    ours.push(run);
    base.push(await timeRun("deno", replay, { stdin: output }));
  }
  const { lines, bytes } = captured;
  const a = rate(lines, bytes, ours), b = rate(lines, bytes, base);
  return {
    format,
    gpus: nodes * 8,
    lines,
    bytes,
    fauxtrain: a,
    baseline: b,
    ratio: round(b.wallMs / a.wallMs, 3),
    raw: {
      fauxtrainMs: ours.map((r) => round(r.endMs, 1)),
      baselineMs: base.map((r) => round(r.endMs, 1)),
    },
  };
}

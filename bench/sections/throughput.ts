/**
 * --instant throughput: a long, dense run's output (every step logged), timed from spawn to the
 * end of stdout, against a baseline that replays the same bytes, already formatted, from memory.
 * Rates are given over the whole wall time and over the stream, from the first byte to the last;
 * the budget is checked on the stream, since start-up is the first-byte budget's measurement.
 */
import { median, round } from "../lib/stats.ts";
import { type TimedRun, timeRun } from "../lib/spawn.ts";

/** Lines and megabytes (10^6 bytes) per second of one program. */
export interface Rate {
  wallMs: number;
  /** Spawn to the first stdout chunk, ms (median). */
  firstByteMs: number;
  /** First stdout chunk to the end of stdout, ms (median). */
  streamMs: number;
  linesPerS: number;
  mbPerS: number;
  /** Lines per second from the first byte on (the runtime's own start-up left out). */
  streamLinesPerS: number;
  streamMbPerS: number;
}

/** fauxtrain against the replay baseline for one format and cluster size. */
export interface ThroughputResult {
  format: "text" | "jsonl";
  gpus: number;
  /** The fauxtrain flags of the run (besides the fixed seed and start). */
  flags: string;
  lines: number;
  bytes: number;
  fauxtrain: Rate;
  baseline: Rate;
  /** Baseline wall time over fauxtrain's: the share of the time spent on real output. */
  ratio: number;
  raw: { fauxtrainMs: number[]; baselineMs: number[]; fauxtrainFirstByteMs: number[] };
}

function rate(lines: number, bytes: number, runs: TimedRun[]): Rate {
  const wallMs = median(runs.map((r) => r.endMs));
  const firstByteMs = median(runs.map((r) => r.firstByteMs));
  const streamMs = median(runs.map((r) => r.endMs - r.firstByteMs));
  return {
    wallMs: round(wallMs, 1),
    firstByteMs: round(firstByteMs, 1),
    streamMs: round(streamMs, 1),
    linesPerS: Math.round(lines / (wallMs / 1000)),
    mbPerS: round(bytes / 1e6 / (wallMs / 1000)),
    streamLinesPerS: Math.round(lines / (streamMs / 1000)),
    streamMbPerS: round(bytes / 1e6 / (streamMs / 1000)),
  };
}

/** What to run: the format, the cluster and the fauxtrain command without them. */
export interface ThroughputRun {
  format: "text" | "jsonl";
  nodes: number;
  /** `deno` arguments up to and including fauxtrain's own flags. */
  fauxtrain: string[];
  /** The flags within `fauxtrain` that define the run, for the report. */
  flags: string;
  replay: string[];
}

/** Captures one run, then times `rounds` interleaved runs of it and of the replay baseline. */
export async function throughputOf(r: ThroughputRun, rounds: number): Promise<ThroughputResult> {
  const args = [...r.fauxtrain, "--format", r.format, "--nodes", String(r.nodes)];
  const captured = await timeRun("deno", args, { keep: true });
  const output = captured.output!;
  const ours: TimedRun[] = [], base: TimedRun[] = [];
  for (let i = 0; i < rounds; i++) {
    const run = await timeRun("deno", args, { countLines: false });
    if (run.bytes !== captured.bytes) throw new Error(`${r.format} output changed between runs`);
    ours.push(run);
    base.push(await timeRun("deno", r.replay, { stdin: output, countLines: false }));
  }
  const { lines, bytes } = captured;
  const a = rate(lines, bytes, ours), b = rate(lines, bytes, base);
  return {
    format: r.format,
    gpus: r.nodes * 8,
    flags: `${r.flags} --format ${r.format} --nodes ${r.nodes}`,
    lines,
    bytes,
    fauxtrain: a,
    baseline: b,
    ratio: round(b.wallMs / a.wallMs, 3),
    raw: {
      fauxtrainMs: ours.map((x) => round(x.endMs, 1)),
      baselineMs: base.map((x) => round(x.endMs, 1)),
      fauxtrainFirstByteMs: ours.map((x) => round(x.firstByteMs, 1)),
    },
  };
}

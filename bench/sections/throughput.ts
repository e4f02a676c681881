/**
 * --instant throughput: a whole run's output, timed from spawn to the end of stdout, against a
 * baseline that replays the same bytes, already formatted, from memory.
 */
import { median, round } from "../lib/stats.ts";
import { timeRun } from "../lib/spawn.ts";

/** Lines and megabytes (10^6 bytes) per second of one program. */
export interface Rate {
  wallMs: number;
  linesPerS: number;
  mbPerS: number;
}

/** fauxtrain against the replay baseline for one format and cluster size. */
export interface ThroughputResult {
  format: "text" | "jsonl";
  gpus: number;
  lines: number;
  bytes: number;
  fauxtrain: Rate & {
    /** Lines per second after the first byte (start-up of the runtime excluded). */
    streamLinesPerS: number;
  };
  baseline: Rate;
  /** Baseline wall time over fauxtrain's: the share of the time spent on real output. */
  ratio: number;
  raw: { fauxtrainMs: number[]; baselineMs: number[] };
}

function rate(lines: number, bytes: number, wallMs: number): Rate {
  return {
    wallMs: round(wallMs, 1),
    linesPerS: Math.round(lines / (wallMs / 1000)),
    mbPerS: round(bytes / 1e6 / (wallMs / 1000)),
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
  const ours: number[] = [], base: number[] = [], stream: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const run = await timeRun("deno", args);
    if (run.bytes !== captured.bytes) throw new Error(`${format} output changed between runs`);
    ours.push(run.endMs);
    stream.push(run.endMs - run.firstByteMs);
    base.push((await timeRun("deno", replay, { stdin: output })).endMs);
  }
  const { lines, bytes } = captured;
  return {
    format,
    gpus: nodes * 8,
    lines,
    bytes,
    fauxtrain: {
      ...rate(lines, bytes, median(ours)),
      streamLinesPerS: Math.round(lines / (median(stream) / 1000)),
    },
    baseline: rate(lines, bytes, median(base)),
    ratio: round(median(base) / median(ours), 3),
    raw: { fauxtrainMs: ours.map((v) => round(v, 1)), baselineMs: base.map((v) => round(v, 1)) },
  };
}

/**
 * Time to first byte: fauxtrain as users run it (main.ts, the bundle) against a hello-world Deno
 * program, in interleaved rounds; the sources (cli.ts, eighty modules) are timed in the
 * same rounds to show what the bundle saves.
 */
import { median, round } from "../lib/stats.ts";
import { timeRun } from "../lib/spawn.ts";

/** Median first-byte times and every round's raw figure. */
export interface FirstByteResult {
  rounds: number;
  fauxtrainMs: number;
  helloMs: number;
  /** fauxtrain's median over hello-world's. */
  ratio: number;
  /** The same run from the sources, and its median over hello-world's. */
  sourcesMs: number;
  sourcesRatio: number;
  raw: { fauxtrainMs: number[]; helloMs: number[]; sourcesMs: number[] };
}

/** The three programs timed: `deno` arguments of each. */
export interface FirstByteCommands {
  fauxtrain: string[];
  hello: string[];
  sources: string[];
}

async function firstByteMs(args: string[]): Promise<number> {
  const run = await timeRun("deno", args, { stopAtFirstByte: true });
  if (Number.isNaN(run.firstByteMs)) throw new Error(`deno ${args.join(" ")} wrote nothing`);
  return run.firstByteMs;
}

/** Runs every program `rounds` times, rotating which goes first, after one warm-up each. */
export async function firstByte(c: FirstByteCommands, rounds: number): Promise<FirstByteResult> {
  const order = [c.fauxtrain, c.hello, c.sources];
  const times = order.map(() => [] as number[]);
  for (const args of order) await firstByteMs(args);
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < order.length; k++) {
      const which = (i + k) % order.length;
      times[which].push(await firstByteMs(order[which]));
    }
  }
  const [ours, base, sources] = times;
  const fauxtrainMs = median(ours), helloMs = median(base), sourcesMs = median(sources);
  const ms = (v: number[]) => v.map((x) => round(x, 1));
  return {
    rounds,
    fauxtrainMs: round(fauxtrainMs, 1),
    helloMs: round(helloMs, 1),
    ratio: round(fauxtrainMs / helloMs),
    sourcesMs: round(sourcesMs, 1),
    sourcesRatio: round(sourcesMs / helloMs),
    raw: { fauxtrainMs: ms(ours), helloMs: ms(base), sourcesMs: ms(sources) },
  };
}

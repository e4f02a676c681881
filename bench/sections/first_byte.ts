/** Time to first byte: fauxtrain against a hello-world Deno program, interleaved rounds. */
import { median, round } from "../lib/stats.ts";
import { timeRun } from "../lib/spawn.ts";

/** Median first-byte times and every round's raw figure. */
export interface FirstByteResult {
  rounds: number;
  fauxtrainMs: number;
  helloMs: number;
  /** fauxtrain's median over hello-world's. */
  ratio: number;
  raw: { fauxtrainMs: number[]; helloMs: number[] };
}

async function firstByteMs(args: string[]): Promise<number> {
  const run = await timeRun("deno", args, { stopAtFirstByte: true });
  if (Number.isNaN(run.firstByteMs)) throw new Error(`deno ${args.join(" ")} wrote nothing`);
  return run.firstByteMs;
}

/** Runs both programs `rounds` times, alternating which goes first, after one warm-up each. */
export async function firstByte(
  fauxtrain: string[],
  hello: string[],
  rounds: number,
): Promise<FirstByteResult> {
  await firstByteMs(fauxtrain);
  await firstByteMs(hello);
  const ours: number[] = [], base: number[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) base.push(await firstByteMs(hello));
    ours.push(await firstByteMs(fauxtrain));
    if (i % 2 === 1) base.push(await firstByteMs(hello));
  }
  const fauxtrainMs = median(ours), helloMs = median(base);
  return {
    rounds,
    fauxtrainMs: round(fauxtrainMs, 1),
    helloMs: round(helloMs, 1),
    ratio: round(fauxtrainMs / helloMs),
    raw: { fauxtrainMs: ours.map((v) => round(v, 1)), helloMs: base.map((v) => round(v, 1)) },
  };
}

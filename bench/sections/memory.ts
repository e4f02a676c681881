/**
 * Memory over a long simulation: RSS sampled while `--instant --loop` runs step after step,
 * compared between a window after the warm-up and one at the end (1M and 10M steps).
 */
import { memoryMiB } from "../lib/proc.ts";
import { median, round, sleep } from "../lib/stats.ts";

/** Median RSS early on, after warm-up and at the end, with every sample. */
export interface MemoryResult {
  earlySteps: number;
  warmupSteps: number;
  measureSteps: number;
  /** Steps simulated when the run was stopped. */
  steps: number;
  earlyRssMiB: number;
  warmRssMiB: number;
  finalRssMiB: number;
  peakRssMiB: number;
  /** Final over warm RSS: the budgeted figure. */
  growthPct: number;
  /** Warm over early RSS: the runtime's heap settling to its working size. */
  earlyGrowthPct: number;
  /** Median RSS of each million steps (the first from 0), MiB. */
  perMillionMiB: number[];
  /** V8 flags the run was given ("" as users run it). */
  v8Flags: string;
  wallS: number;
  /** [simulated steps, RSS MiB] at each sample. */
  samples: Array<[number, number]>;
}

/** Counts simulated steps from JSON lines as they stream (runs of --loop restart at 1). */
export class StepCounter {
  #finished = 0;
  #current = 0;
  #runTotal = 0;
  #partial = "";

  /** Feeds the next piece of output. */
  feed(text: string): void {
    const data = this.#partial + text;
    const end = data.lastIndexOf("\n");
    this.#partial = data.slice(end + 1);
    const steps = /"type":"step".*?"step":(\d+),"total_steps":(\d+)/g;
    for (const m of data.slice(0, end + 1).matchAll(steps)) {
      const step = Number(m[1]);
      if (step < this.#current) this.#finished += this.#runTotal;
      this.#current = step;
      this.#runTotal = Number(m[2]);
    }
  }

  /** Steps simulated so far, to the last logged one. */
  get steps(): number {
    return this.#finished + this.#current;
  }
}

/** Steps at which to read RSS: early on, at the end of the warm-up, and at the end. */
export interface MemoryPlan {
  earlySteps: number;
  warmupSteps: number;
  measureSteps: number;
  /** Steps each median is taken over. */
  windowSteps: number;
  everyMs: number;
}

/** Wall time after which a run that has not reached its steps counts as stuck. */
const MAX_WALL_MS = 180_000;

/** Median RSS of the samples taken between `fromSteps` (inclusive) and `toSteps`. */
export function rssWithin(
  samples: Array<[number, number]>,
  fromSteps: number,
  toSteps: number,
): number {
  const within = samples.filter(([s]) => s >= fromSteps && s < toSteps);
  if (within.length === 0) throw new Error(`no RSS sample from ${fromSteps} to ${toSteps} steps`);
  return median(within.map(([, rss]) => rss));
}

/** The median RSS of each million steps of `samples`, up to `steps`. */
export function perMillion(samples: Array<[number, number]>, steps: number): number[] {
  return Array.from({ length: Math.ceil(steps / 1e6) }, (_, m) => {
    const within = samples.filter(([s]) => s >= m * 1e6 && s < (m + 1) * 1e6);
    return within.length > 0 ? median(within.map(([, rss]) => rss)) : NaN;
  });
}

/**
 * Runs `args` (a looping --instant jsonl run, `deno run ...`), sampling RSS until the plan's
 * last step; `v8Flags` go to deno before the script.
 */
export async function memoryGrowth(
  args: string[],
  plan: MemoryPlan,
  v8Flags = "",
): Promise<MemoryResult> {
  if (v8Flags) args = [args[0], `--v8-flags=${v8Flags}`, ...args.slice(1)];
  const t0 = performance.now();
  const child = new Deno.Command("deno", { args, stdout: "piped", stderr: "inherit" }).spawn();
  const counter = new StepCounter();
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) counter.feed(decoder.decode(chunk, { stream: true }));
  })();
  const samples: Array<[number, number]> = [];
  const endSteps = plan.warmupSteps + plan.measureSteps;
  while (samples.length === 0 || samples[samples.length - 1][0] < endSteps) {
    await sleep(plan.everyMs);
    const { rssMiB } = await memoryMiB(child.pid);
    samples.push([counter.steps, round(rssMiB, 1)]);
    if (performance.now() - t0 > MAX_WALL_MS) {
      child.kill("SIGTERM");
      throw new Error(`only ${counter.steps} steps after ${MAX_WALL_MS / 1000} s`);
    }
  }
  const { peakMiB } = await memoryMiB(child.pid);
  child.kill("SIGTERM");
  await reading;
  await child.status;
  // Medians over windows, so that a sample taken while --loop swaps runs does not decide it.
  const window = plan.windowSteps;
  const early = rssWithin(samples, plan.earlySteps, plan.earlySteps + window);
  const warm = rssWithin(samples, plan.warmupSteps, plan.warmupSteps + window);
  const final = rssWithin(samples, endSteps - window, Infinity);
  return {
    earlySteps: plan.earlySteps,
    warmupSteps: plan.warmupSteps,
    measureSteps: plan.measureSteps,
    steps: counter.steps,
    earlyRssMiB: round(early, 1),
    warmRssMiB: round(warm, 1),
    finalRssMiB: round(final, 1),
    peakRssMiB: round(peakMiB, 1),
    growthPct: round((final / warm - 1) * 100, 1),
    earlyGrowthPct: round((warm / early - 1) * 100, 1),
    perMillionMiB: perMillion(samples, endSteps),
    v8Flags,
    wallS: round((performance.now() - t0) / 1000, 1),
    samples,
  };
}

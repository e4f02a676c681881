/**
 * `deno task bench`: measures fauxtrain against baselines run on the same machine in the same
 * session, checks the budgets, prints a table and writes bench/results/latest.json.
 *
 * Options: --only first-byte,throughput,live,memory,peak-rss,loop-rss (all but loop-rss by
 * default)  --rounds N (first byte, default 21)  --throughput-rounds N (default 9)
 * --throughput-epochs N (default 40)  --live-seconds S (default 30)  --live-rounds N (rounds at
 * 64 GPUs, whose CPU ratio has a budget; default 3)  --peak-rounds N (default 3)
 * --loop-minutes N (loop-rss, default 5)  --out FILE
 * --extra="FLAGS" (added to every fauxtrain command, e.g. --extra="--workers 2")
 */
import { parseArgs } from "node:util";
import { describeMachine } from "./lib/proc.ts";
import { benchDocument, type BenchResults } from "./lib/report.ts";
import { renderReport } from "./lib/table.ts";
import { firstByte } from "./sections/first_byte.ts";
import { throughputOf } from "./sections/throughput.ts";
import { liveAt } from "./sections/live.ts";
import { memoryGrowth } from "./sections/memory.ts";
import { peakRssOf } from "./sections/peak_rss.ts";
import { loopRss } from "./sections/loop_rss.ts";

/** fauxtrain as users run it: main.ts, which runs the bundle and needs no permission. */
const FAUXTRAIN = ["run", "main.ts"];
/** The same program from its sources (first byte only, to show what the bundle saves). */
const SOURCES = ["run", "--allow-read=./src,./workers", "cli.ts"];
const FIXED = ["--seed", "1", "--start", "2026-11-24T09:00:00Z"];
const SECTIONS = ["first-byte", "throughput", "live", "memory", "peak-rss", "loop-rss"];
/** Sections run when --only is not given: the five-minute loop-rss only when asked for. */
const DEFAULT_SECTIONS = SECTIONS.filter((s) => s !== "loop-rss");
/** A long pretraining run (about 670k steps), looped so that runs follow one another. */
const MEMORY_RUN =
  "--instant --loop --format jsonl --nodes 1 --model gpt2-124m --dataset fineweb-edu --epochs 100"
    .split(" ");
/**
 * The --instant throughput run: every step logged, so the output is dense and long enough
 * (about 270,000 lines at 64 GPUs) to measure steady output rather than start-up.
 */
const THROUGHPUT_RUN = "--instant --log-interval 1 --model gpt2-124m --dataset fineweb-edu";
/**
 * RSS from one million steps to ten (10 to 20 s at --instant speed), medians over windows of a
 * million steps: memory must not grow with the run's length.
 */
const MEMORY_PLAN = {
  earlySteps: 100_000,
  warmupSteps: 1_000_000,
  measureSteps: 9_000_000,
  windowSteps: 1_000_000,
  everyMs: 100,
};
/**
 * The same series with V8's young generation capped (its semi-spaces otherwise grow from 1 to
 * 16 MiB as the bytes surviving its collections add up), to tell that growth from the rest.
 */
const MEMORY_V8_FLAGS = "--max-semi-space-size=4";
/** Nodes of the largest cluster, whose --instant peak RSS has a budget. */
const LARGEST = 16384;

function options() {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      only: { type: "string", default: DEFAULT_SECTIONS.join(",") },
      rounds: { type: "string", default: "21" },
      "throughput-rounds": { type: "string", default: "9" },
      "throughput-epochs": { type: "string", default: "40" },
      "live-seconds": { type: "string", default: "30" },
      "live-rounds": { type: "string", default: "3" },
      "peak-rounds": { type: "string", default: "3" },
      "loop-minutes": { type: "string", default: "5" },
      out: { type: "string", default: "bench/results/latest.json" },
      extra: { type: "string", default: "" },
    },
  });
  const only = values.only.split(",");
  const unknown = only.filter((s) => !SECTIONS.includes(s));
  if (unknown.length) throw new Error(`--only accepts ${SECTIONS.join(", ")}; got ${unknown}`);
  return {
    only: new Set(only),
    rounds: Number(values.rounds),
    throughputRounds: Number(values["throughput-rounds"]),
    throughputEpochs: Number(values["throughput-epochs"]),
    liveSeconds: Number(values["live-seconds"]),
    liveRounds: Math.max(1, Number(values["live-rounds"]) || 1),
    peakRounds: Math.max(1, Number(values["peak-rounds"]) || 1),
    loopMinutes: Math.max(1, Number(values["loop-minutes"]) || 1),
    out: values.out,
    fixed: [...FIXED, ...values.extra.split(" ").filter(Boolean)],
  };
}

function progress(text: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`bench: ${text}\n`));
}

async function measureAll(o: ReturnType<typeof options>): Promise<BenchResults> {
  const r: BenchResults = {};
  if (o.only.has("first-byte")) {
    progress(`first byte, ${o.rounds} interleaved rounds`);
    r.firstByte = await firstByte({
      fauxtrain: [...FAUXTRAIN, ...o.fixed],
      hello: ["run", "bench/baselines/hello.ts"],
      sources: [...SOURCES, ...o.fixed],
    }, o.rounds);
  }
  if (o.only.has("throughput")) {
    r.throughput = [];
    const flags = `${THROUGHPUT_RUN} --epochs ${o.throughputEpochs}`;
    for (const format of ["text", "jsonl"] as const) {
      for (const nodes of [8, 128]) {
        progress(`--instant ${format} at ${nodes * 8} GPUs, ${o.throughputRounds} rounds`);
        const fauxtrain = [...FAUXTRAIN, ...o.fixed, ...flags.split(" ")];
        const replay = ["run", "bench/baselines/replay.ts"];
        r.throughput.push(
          await throughputOf({ format, nodes, fauxtrain, flags, replay }, o.throughputRounds),
        );
      }
    }
  }
  if (o.only.has("live")) {
    r.live = [];
    const command = ["deno", ...FAUXTRAIN, ...o.fixed].join(" ");
    for (const nodes of [8, 128, 16384]) {
      const rounds = nodes === 8 ? o.liveRounds : 1;
      progress(
        `live at ${nodes * 8} GPUs and its redraw baseline, ${o.liveSeconds} s each, ` +
          `${rounds} round${rounds > 1 ? "s" : ""}`,
      );
      const timing = { warmupS: 5, windowS: o.liveSeconds, rounds };
      r.live.push(await liveAt(nodes, command, "bench/baselines/redraw.ts", timing));
    }
  }
  if (o.only.has("memory")) {
    const args = [...FAUXTRAIN, ...o.fixed, ...MEMORY_RUN];
    progress("memory over ten million simulated steps, as users run it");
    r.memory = await memoryGrowth(args, MEMORY_PLAN);
    progress(`the same with --v8-flags=${MEMORY_V8_FLAGS}`);
    r.memoryFlagged = await memoryGrowth(args, MEMORY_PLAN, MEMORY_V8_FLAGS);
  }
  if (o.only.has("peak-rss")) {
    r.peakRss = [];
    for (const format of ["jsonl", "text"] as const) {
      progress(`peak RSS of --instant ${format} at ${LARGEST * 8} GPUs, ${o.peakRounds} rounds`);
      const fauxtrain = [...FAUXTRAIN, ...o.fixed];
      r.peakRss.push(await peakRssOf({ fauxtrain, format, nodes: LARGEST, rounds: o.peakRounds }));
    }
  }
  if (o.only.has("loop-rss")) {
    progress(`RSS of a --loop at ${LARGEST * 8} GPUs for ${o.loopMinutes} minutes`);
    r.loopRss = await loopRss([...FAUXTRAIN, ...o.fixed], o.loopMinutes);
  }
  return r;
}

async function main(): Promise<void> {
  let o: ReturnType<typeof options>;
  try {
    o = options();
  } catch (e) {
    console.error(`bench: ${(e as Error).message.split("\n")[0]}`);
    Deno.exit(2);
  }
  const machine = await describeMachine();
  const started = new Date();
  const results = await measureAll(o);
  const doc = benchDocument(
    started,
    machine,
    `deno task bench ${Deno.args.join(" ")}`.trim(),
    results,
  );
  console.log(renderReport(doc));
  Deno.mkdirSync(o.out.slice(0, o.out.lastIndexOf("/")) || ".", { recursive: true });
  Deno.writeTextFileSync(o.out, JSON.stringify(doc, null, 2) + "\n");
  progress(`wrote ${o.out} in ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s`);
}

if (import.meta.main) await main();

/**
 * The bench's verdicts and presentation: budgets checked against the measured figures, the
 * printed table and the JSON document. Pure functions of the results.
 */
import type { Machine } from "./proc.ts";
import type { FirstByteResult } from "../sections/first_byte.ts";
import type { ThroughputResult } from "../sections/throughput.ts";
import type { LiveResult } from "../sections/live.ts";
import type { MemoryResult } from "../sections/memory.ts";
import type { PeakRssResult } from "../sections/peak_rss.ts";
import type { LoopRssResult } from "../sections/loop_rss.ts";

/** Everything one bench run measured (sections that were skipped are absent). */
export interface BenchResults {
  firstByte?: FirstByteResult;
  throughput?: ThroughputResult[];
  live?: LiveResult[];
  memory?: MemoryResult;
  /** The same series with V8's young generation capped by a flag, for comparison. */
  memoryFlagged?: MemoryResult;
  peakRss?: PeakRssResult[];
  loopRss?: LoopRssResult;
}

/** One budget and whether the measured figure meets it. */
export interface BudgetCheck {
  id: string;
  budget: string;
  measured: number;
  unit: string;
  limit: number;
  pass: boolean;
}

/** The JSON document bench/results/latest.json holds. */
export interface BenchDocument {
  schema: "fauxtrain-bench/1";
  date: string;
  machine: Machine;
  command: string;
  results: BenchResults;
  budgets: BudgetCheck[];
  pass: boolean;
}

function atMost(id: string, budget: string, measured: number, limit: number, unit: string) {
  return { id, budget, measured, unit, limit, pass: measured <= limit };
}

function below(id: string, budget: string, measured: number, limit: number, unit: string) {
  return { id, budget, measured, unit, limit, pass: measured < limit };
}

/** Checks every budget whose figures were measured. */
export function checkBudgets(r: BenchResults): BudgetCheck[] {
  const out: BudgetCheck[] = [];
  if (r.firstByte) {
    out.push(atMost("first_byte", "first byte ≤ 1.5× hello-world", r.firstByte.ratio, 1.5, "×"));
  }
  const live = (gpus: number) => r.live?.find((l) => l.gpus === gpus);
  const small = live(64);
  if (small) {
    out.push(atMost("live_cpu_64_ratio", "live CPU, 64 GPUs ≤ 2× redraw", small.cpuRatio, 2, "×"));
    out.push(
      below("live_cpu_64", "live CPU, 64 GPUs < 3% of a core", small.fauxtrain.cpuPct, 3, "%"),
    );
    out.push(
      below("rss_64", "peak RSS, 64 GPUs < 150 MiB", small.fauxtrain.peakRssMiB, 150, "MiB"),
    );
  }
  const huge = live(131072);
  if (huge) {
    out.push(
      below(
        "rss_131072",
        "peak RSS, 131,072 GPUs < 500 MiB",
        huge.fauxtrain.peakRssMiB,
        500,
        "MiB",
      ),
    );
  }
  // Checked on the stream, first byte to end: start-up has its own budget (first byte).
  for (const t of r.throughput?.filter((t) => t.format === "jsonl") ?? []) {
    const id = `instant_jsonl_${t.gpus}`;
    const gpus = t.gpus.toLocaleString("en-US");
    const text = `--instant jsonl, ${gpus} GPUs ≥ 300,000 lines/s (first byte to end)`;
    const lines = t.fauxtrain.streamLinesPerS;
    out.push({
      id,
      budget: text,
      measured: lines,
      unit: "lines/s",
      limit: 300_000,
      pass: lines >= 300_000,
    });
  }
  for (const p of r.peakRss ?? []) {
    const gpus = p.gpus.toLocaleString("en-US");
    const budget = `peak RSS, --instant ${p.format}, ${gpus} GPUs < 300 MiB`;
    out.push(below(`instant_rss_${p.format}_${p.gpus}`, budget, p.peakRssMiB, 300, "MiB"));
  }
  if (r.memory) {
    const m = r.memory, from = m.warmupSteps / 1e6, to = (m.warmupSteps + m.measureSteps) / 1e6;
    const budget = `RSS growth from ${from}M to ${to}M steps (--instant --loop) < 10%`;
    out.push(below("memory_growth", budget, m.growthPct, 10, "%"));
  }
  if (r.loopRss) {
    const budget = `RSS growth over ${r.loopRss.minutes} min, --loop at 131,072 GPUs < 10%`;
    out.push(below("loop_rss_growth", budget, r.loopRss.growthPct, 10, "%"));
  }
  return out;
}

/** The JSON document for a bench run. */
export function benchDocument(
  date: Date,
  machine: Machine,
  command: string,
  results: BenchResults,
): BenchDocument {
  const budgets = checkBudgets(results);
  return {
    schema: "fauxtrain-bench/1",
    date: date.toISOString(),
    machine,
    command,
    results,
    budgets,
    pass: budgets.every((b) => b.pass),
  };
}

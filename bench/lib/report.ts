/**
 * The bench's verdicts and presentation: budgets checked against the measured figures, the
 * printed table and the JSON document. Pure functions of the results.
 */
import type { Machine } from "./proc.ts";
import type { FirstByteResult } from "../sections/first_byte.ts";
import type { ThroughputResult } from "../sections/throughput.ts";
import type { LiveResult } from "../sections/live.ts";
import type { MemoryResult } from "../sections/memory.ts";

/** Everything one bench run measured (sections that were skipped are absent). */
export interface BenchResults {
  firstByte?: FirstByteResult;
  throughput?: ThroughputResult[];
  live?: LiveResult[];
  memory?: MemoryResult;
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
  if (r.memory) {
    const budget = "RSS growth over 1M steps after warm-up < 10%";
    out.push(below("memory_growth", budget, r.memory.growthPct, 10, "%"));
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

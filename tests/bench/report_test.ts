/** The bench's verdicts, JSON document and parsing helpers, from fixed inputs (no timing). */
import assert from "node:assert/strict";
import { benchDocument, type BenchResults, checkBudgets } from "../../bench/lib/report.ts";
import { renderReport } from "../../bench/lib/table.ts";
import { perMillion, rssWithin, StepCounter } from "../../bench/sections/memory.ts";
import { perMinute } from "../../bench/sections/loop_rss.ts";
import { frameStats, liveResult, redrawCommand } from "../../bench/sections/live.ts";
import { countLines } from "../../bench/lib/spawn.ts";
import type { Machine } from "../../bench/lib/proc.ts";

const MACHINE: Machine = {
  nproc: 2,
  cpuModel: "Test CPU",
  ramGiB: 8,
  deno: "2.9.6",
  v8: "15.0",
  loadAvg1m: 0.5,
};

const live = (gpus: number, cpuPct: number, peakRssMiB: number, baseCpu: number) => ({
  gpus,
  nodes: gpus / 8,
  windowS: 30,
  rounds: 1,
  fauxtrain: { cpuPct, peakRssMiB, fps: 4, bytesPerFrame: 1600, linesPerFrame: 11 },
  baseline: { cpuPct: baseCpu, peakRssMiB: 40, fps: 10, bytesPerFrame: 1600, linesPerFrame: 11 },
  cpuRatio: cpuPct / baseCpu,
  raw: { fauxtrainCpuPct: [cpuPct], baselineCpuPct: [baseCpu], cpuRatio: [cpuPct / baseCpu] },
});

/** Rates of a run of `lines` lines and `bytes` bytes that ended at `wallMs`. */
function rate(wallMs: number, firstByteMs: number, lines: number, bytes: number) {
  const streamMs = wallMs - firstByteMs;
  return {
    wallMs,
    firstByteMs,
    streamMs,
    linesPerS: lines / (wallMs / 1000),
    mbPerS: bytes / 1e6 / (wallMs / 1000),
    streamLinesPerS: lines / (streamMs / 1000),
    streamMbPerS: bytes / 1e6 / (streamMs / 1000),
  };
}

const RESULTS: BenchResults = {
  firstByte: {
    rounds: 3,
    fauxtrainMs: 80,
    helloMs: 60,
    ratio: 1.33,
    sourcesMs: 100,
    sourcesRatio: 1.67,
    raw: { fauxtrainMs: [80, 79, 81], helloMs: [60, 59, 61], sourcesMs: [100, 99, 101] },
  },
  throughput: [{
    format: "jsonl",
    gpus: 64,
    flags: "--instant --format jsonl --nodes 8",
    lines: 1000,
    bytes: 700_000,
    fauxtrain: rate(500, 100, 1000, 700_000),
    baseline: rate(100, 98, 1000, 700_000),
    ratio: 0.2,
    raw: { fauxtrainMs: [500], baselineMs: [100], fauxtrainFirstByteMs: [100] },
  }],
  live: [live(64, 2.5, 120, 1), live(131072, 9, 520, 1)],
  memory: {
    earlySteps: 100,
    warmupSteps: 1000,
    measureSteps: 1000,
    steps: 2100,
    earlyRssMiB: 60,
    warmRssMiB: 80,
    finalRssMiB: 84,
    peakRssMiB: 90,
    growthPct: 5,
    earlyGrowthPct: 33.3,
    perMillionMiB: [70, 84],
    v8Flags: "",
    wallS: 3,
    samples: [[100, 60], [1000, 80], [2100, 84]],
  },
};

Deno.test("checkBudgets() gives a verdict for every budget of the issue", () => {
  const verdicts = Object.fromEntries(checkBudgets(RESULTS).map((b) => [b.id, b.pass]));
  assert.deepEqual(verdicts, {
    first_byte: true,
    live_cpu_64_ratio: false,
    live_cpu_64: true,
    rss_64: true,
    rss_131072: false,
    instant_jsonl_64: false,
    memory_growth: true,
  });
});

Deno.test("the --instant budget is checked on lines/s from the first byte to the end", () => {
  const t = RESULTS.throughput![0];
  // 300,000 lines: 1.2 s of wall time, 0.95 s of it streaming.
  const fast = { ...t, lines: 300_000, fauxtrain: rate(1200, 250, 300_000, 1e8) };
  const [check] = checkBudgets({ throughput: [fast] });
  assert.ok(Math.abs(check.measured - 300_000 / 0.95) < 1, `measured ${check.measured}`);
  assert.equal(check.pass, true);
  const slow = { ...fast, fauxtrain: rate(1200, 100, 300_000, 1e8) };
  assert.equal(checkBudgets({ throughput: [slow] })[0].pass, false);
});

Deno.test("checkBudgets() only judges what was measured", () => {
  assert.deepEqual(checkBudgets({ memory: RESULTS.memory }).map((b) => b.id), ["memory_growth"]);
  assert.deepEqual(checkBudgets({}), []);
});

Deno.test("benchDocument() has the documented shape and fails when any budget fails", () => {
  const doc = benchDocument(new Date(Date.UTC(2026, 10, 24)), MACHINE, "deno task bench", RESULTS);
  assert.deepEqual(Object.keys(doc), [
    "schema",
    "date",
    "machine",
    "command",
    "results",
    "budgets",
    "pass",
  ]);
  assert.equal(doc.schema, "fauxtrain-bench/1");
  assert.equal(doc.date, "2026-11-24T00:00:00.000Z");
  assert.equal(doc.pass, false);
  assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc, "survives a JSON round trip");
  const passing = benchDocument(new Date(0), MACHINE, "x", { memory: RESULTS.memory });
  assert.equal(passing.pass, true);
});

Deno.test("renderReport() prints the machine, each figure and each verdict", () => {
  const text = renderReport(benchDocument(new Date(0), MACHINE, "x", RESULTS));
  assert.match(text, /2 × Test CPU, 8 GiB · Deno 2\.9\.6/);
  assert.match(text, /\| first byte, median of 3 \(ms\) +\| +80 \| +60 \| +1\.33× \|/);
  assert.match(
    text,
    /\| --instant jsonl, 64 GPUs ≥ 300,000 lines\/s \(first byte to end\) +\| +2,500 lines\/s \| .* FAIL \|/,
  );
  assert.equal(text.match(/PASS/g)?.length, 4);
  assert.equal(text.match(/FAIL/g)?.length, 3);
});

Deno.test("StepCounter adds up steps across looped runs and split chunks", () => {
  const line = (step: number, total: number) =>
    `{"type":"step","msg":"step ${step}","epoch_step":${step},"step":${step},"total_steps":${total}}\n`;
  const c = new StepCounter();
  const text = line(1, 500) + line(250, 500) + line(500, 500) + line(1, 300) + line(100, 300);
  c.feed(text.slice(0, 40));
  assert.equal(c.steps, 0, "nothing counted before a whole line");
  c.feed(text.slice(40));
  assert.equal(c.steps, 600);
});

Deno.test("rssWithin() takes the median of the samples in a window of steps", () => {
  const samples: Array<[number, number]> = [[10, 50], [20, 70], [30, 60], [40, 90], [50, 10]];
  assert.equal(rssWithin(samples, 15, 45), 70);
  assert.equal(rssWithin(samples, 50, Infinity), 10);
  assert.throws(() => rssWithin(samples, 60, 70), /no RSS sample/);
});

Deno.test("frameStats() counts frames by their sync marker and undoes the pty's CR per LF", () => {
  const frame = "\x1b[?2026hab\r\ncd\x1b[?2026l";
  const s = frameStats(frame + frame, 2);
  assert.equal(s.fps, 1);
  assert.equal(s.bytesPerFrame, frame.length - 1);
  assert.equal(s.linesPerFrame, 2);
});

Deno.test("countLines() counts newline bytes", () => {
  assert.equal(countLines(new TextEncoder().encode("a\nb\n\nc")), 3);
  assert.equal(countLines(new Uint8Array()), 0);
});

Deno.test("redrawCommand() asks the baseline for fauxtrain's frame size at fauxtrain's frame rate", () => {
  const ours = { cpuPct: 0.8, peakRssMiB: 60, fps: 5.53, bytesPerFrame: 4786, linesPerFrame: 26.6 };
  assert.equal(
    redrawCommand("bench/baselines/redraw.ts", ours),
    "deno run bench/baselines/redraw.ts 27 4786 5.53",
  );
});

Deno.test("live rounds report the median round's figures and the highest peak RSS", () => {
  const figures = (cpuPct: number, peakRssMiB: number) => ({
    cpuPct,
    peakRssMiB,
    fps: 5,
    bytesPerFrame: 4000,
    linesPerFrame: 28,
  });
  const round = (ours: number, base: number, rss: number) => ({
    ours: figures(ours, rss),
    base: figures(base, 40),
    ratio: ours / base,
  });
  const r = liveResult(8, 30, [round(0.7, 0.33, 60), round(0.6, 0.4, 66), round(0.5, 0.3, 62)]);
  assert.equal(r.rounds, 3);
  assert.equal(r.cpuRatio, 0.5 / 0.3, "the middle ratio of 1.5, 1.67 and 2.12");
  assert.deepEqual([r.fauxtrain.cpuPct, r.baseline.cpuPct], [0.5, 0.3], "that round's figures");
  assert.equal(r.fauxtrain.peakRssMiB, 66, "the highest peak of any round");
  assert.deepEqual(r.raw.cpuRatio, [0.7 / 0.33, 0.6 / 0.4, 0.5 / 0.3]);
  const even = liveResult(8, 30, [round(0.8, 0.4, 60), round(0.3, 0.3, 60)]);
  assert.equal(even.cpuRatio, 1, "of two, the lower");
  assert.match(
    renderReport(benchDocument(new Date(0), MACHINE, "deno task bench", { live: [r] })),
    /median of 3 rounds/,
  );
});

Deno.test("checkBudgets() judges the largest cluster's --instant peak RSS and the loop's growth", () => {
  const peak = (format: "jsonl" | "text", peakRssMiB: number) => ({
    format,
    nodes: 16384,
    gpus: 131072,
    flags: `--instant --nodes 16384 --format ${format}`,
    rounds: 2,
    peakRssMiB,
    medianPeakRssMiB: peakRssMiB - 10,
    raw: { peakRssMiB: [peakRssMiB - 20, peakRssMiB], wallMs: [900, 950] },
  });
  const loopRss = {
    flags: "--loop --speed 1e6 --nodes 16384 --format jsonl",
    minutes: 2,
    perMinuteMiB: [200, 230],
    peakRssMiB: 260,
    growthPct: 15,
    samples: [[30, 200], [90, 230]] as Array<[number, number]>,
  };
  const checks = checkBudgets({ peakRss: [peak("jsonl", 290), peak("text", 310)], loopRss });
  assert.deepEqual(checks.map((b) => [b.id, b.measured, b.pass]), [
    ["instant_rss_jsonl_131072", 290, true],
    ["instant_rss_text_131072", 310, false],
    ["loop_rss_growth", 15, false],
  ]);
  assert.equal(checks[0].budget, "peak RSS, --instant jsonl, 131,072 GPUs < 300 MiB");
  const text = renderReport(benchDocument(new Date(0), MACHINE, "x", { loopRss }));
  assert.match(
    text,
    /\| --loop at 131,072 GPUs: RSS MiB, median of each of 2 minutes +\| +200, 230 \|/,
  );
});

Deno.test("perMillion() and perMinute() give the median RSS of each window", () => {
  const bySteps: Array<[number, number]> = [[0, 60], [500_000, 70], [900_000, 65], [1_200_000, 90]];
  assert.deepEqual(perMillion(bySteps, 2_000_000), [65, 90]);
  const bySeconds: Array<[number, number]> = [[5, 100], [60, 110], [65, 120], [125, 130]];
  assert.deepEqual(perMinute(bySeconds, 3), [105, 120, 130], "a minute of two: their mean");
});

/**
 * The GPU monitor a job runs beside training: `nvidia-smi dmon` and `--query-gpu` lines with the
 * tools' exact layout, the per-run choice of tool and where it runs, dmon's repeated header,
 * timestamps never ahead of the reading, and every line of the styles that print them matching
 * a real tool's shape over seeds, chaos, --resume, cluster sizes and GPUs.
 */
import assert from "node:assert/strict";
import { findGpu } from "../../src/sim/catalog.ts";
import type { DataEvent, OutputEvent } from "../../src/sim/events.ts";
import { drawRunConfig, type RunChoices } from "../../src/sim/run_config.ts";
import { hostName } from "../../src/sim/names.ts";
import { cadenceFor, paceFor } from "../../src/driver/driver.ts";
import { STYLES } from "../../src/style/style.ts";
import { dmonCommand, dmonHeader, type DmonOptions, dmonRows } from "../../src/style/gpu_dmon.ts";
import { QUERY_FIELD_SETS, queryHeader, queryRows } from "../../src/style/gpu_query.ts";
import type { Readout } from "../../src/style/gpu_readout.ts";
import { readouts, smClockMHz } from "../../src/style/gpu_readout.ts";
import { gpuMonitorLines, monitorPlan, openGpuMonitor } from "../../src/style/gpu_monitor.ts";
import { shapeOf } from "./catalogue/deepspeed.ts";
import { HF_SHAPES } from "./catalogue/hf.ts";
import { lineTimes } from "./line_times.ts";
import { START_MS, styledRun, textOf } from "./styled_run.ts";

type GpuEvent = Extract<DataEvent, { type: "gpu" }>;

const AT = Date.UTC(2026, 10, 24, 9, 12, 34, 567);
const CARDS: Readout[] = [
  {
    index: 0,
    powerW: 686.4,
    tempC: 64.2,
    memTempC: 71.6,
    smPct: 100,
    memPct: 47,
    usedMiB: 74532,
    totalMiB: 81559,
    smMHz: 1755,
    memMHz: 2619,
    bar1MiB: 5,
  },
  {
    index: 1,
    powerW: 512.5,
    tempC: 57.8,
    memTempC: null,
    smPct: 93,
    memPct: 38,
    usedMiB: 74470,
    totalMiB: 81559,
    smMHz: 1980,
    memMHz: 2619,
    bar1MiB: 7,
  },
];

const dmon = (o: DmonOptions) => [...dmonHeader(o), ...dmonRows(o, AT, CARDS)];

Deno.test("dmon from R525: 7-wide columns each followed by a space, jpg/ofa and ccpm", () => {
  const o = { select: "pucm", time: false, modern: true };
  assert.equal(dmonCommand(o, 30), "nvidia-smi dmon -s pucm -d 30");
  assert.deepEqual(dmon(o), [
    "# gpu    pwr  gtemp  mtemp     sm    mem    enc    dec    jpg    ofa   mclk   pclk     fb   bar1   ccpm ",
    "# Idx      W      C      C      %      %      %      %      %      %    MHz    MHz     MB     MB     MB ",
    "    0    686     64     72    100     47      0      0      0      0   2619   1755  74532      5      0 ",
    "    1    513     58      -     93     38      0      0      0      0   2619   1980  74470      7      0 ",
  ]);
});

Deno.test("dmon -o T puts the sample's time first; no -s is power, utilisation and clocks", () => {
  const o = { select: "puc", time: true, modern: true };
  assert.equal(dmonCommand(o, 60), "nvidia-smi dmon -d 60 -o T");
  assert.deepEqual(dmon(o), [
    "#Time         gpu    pwr  gtemp  mtemp     sm    mem    enc    dec    jpg    ofa   mclk   pclk ",
    "#HH:MM:SS     Idx      W      C      C      %      %      %      %      %      %    MHz    MHz ",
    " 09:12:34       0    686     64     72    100     47      0      0      0      0   2619   1755 ",
    " 09:12:34       1    513     58      -     93     38      0      0      0      0   2619   1980 ",
  ]);
});

Deno.test("dmon on a V100 (no JPEG or optical-flow engine) prints - in jpg and ofa", () => {
  const o = { select: "pu", time: false, modern: true, engines: false };
  assert.deepEqual(dmonRows(o, AT, CARDS), [
    "    0    686     64     72    100     47      0      0      -      - ",
    "    1    513     58      -     93     38      0      0      -      - ",
  ]);
  const v100 = drawRunConfig({
    seed: 9,
    startMs: AT,
    nodes: 1,
    gpusPerNode: 8,
    gpu: findGpu("v100"),
  });
  const a100 = drawRunConfig({
    seed: 9,
    startMs: AT,
    nodes: 1,
    gpusPerNode: 8,
    gpu: findGpu("a100"),
  });
  assert.equal(monitorPlan(v100).dmon.engines, false);
  assert.equal(monitorPlan(a100).dmon.engines, true);
});

Deno.test("dmon before R525: 6-wide columns, no JPEG, optical-flow or ccpm columns", () => {
  assert.deepEqual(dmon({ select: "pucm", time: false, modern: false }), [
    "# gpu   pwr gtemp mtemp    sm   mem   enc   dec  mclk  pclk    fb  bar1",
    "# Idx     W     C     C     %     %     %     %   MHz   MHz    MB    MB",
    "    0   686    64    72   100    47     0     0  2619  1755 74532     5",
    "    1   513    58     -    93    38     0     0  2619  1980 74470     7",
  ]);
});

Deno.test("--query-gpu CSV: units in the header's brackets, values with theirs, power to 0.01 W", () => {
  const cfg = drawRunConfig({
    seed: 4,
    startMs: AT,
    nodes: 1,
    gpusPerNode: 2,
    gpu: findGpu("h100"),
  });
  const [short, wide] = QUERY_FIELD_SETS;
  assert.deepEqual([queryHeader(short), ...queryRows(short, cfg, AT, CARDS)], [
    "timestamp, index, utilization.gpu [%], memory.used [MiB], temperature.gpu, power.draw [W]",
    "2026/11/24 09:12:34.567, 0, 100 %, 74532 MiB, 64, 686.40 W",
    "2026/11/24 09:12:34.567, 1, 93 %, 74470 MiB, 58, 512.50 W",
  ]);
  assert.deepEqual(queryRows(wide, cfg, AT, CARDS), [
    "2026/11/24 09:12:34.567, NVIDIA H100 80GB HBM3, 00000000:18:00.0, 100 %, 47 %, 74532 MiB, " +
    "81559 MiB, 64, 686.40 W",
    "2026/11/24 09:12:34.567, NVIDIA H100 80GB HBM3, 00000000:2A:00.0, 93 %, 38 %, 74470 MiB, " +
    "81559 MiB, 58, 512.50 W",
  ]);
});

Deno.test("smClockMHz(): idle clock when idle, full boost, then 15 MHz bins down near the cap", () => {
  assert.equal(smClockMHz(210, 1410, 0, 0.15), 210);
  assert.equal(smClockMHz(210, 1410, 97, 0.8), 1410);
  assert.equal(smClockMHz(210, 1410, 100, 1.0), 1305);
  assert.equal(smClockMHz(345, 1980, 100, 0.98) % 15, 0);
});

/** A run's events with the line modes' periodic readings. */
function periodicRun(choices: Omit<RunChoices, "startMs">, style = STYLES.native) {
  const cfg = drawRunConfig({ ...choices, startMs: START_MS });
  return styledRun(choices, style, cadenceFor(cfg, paceFor(true, null), false));
}

Deno.test("the job's monitor is drawn per run: none, dmon or --query-gpu, on one node or all", () => {
  const tools = new Set<string>();
  let everyNode = 0, withTime = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const cfg = drawRunConfig({ seed, startMs: START_MS, nodes: 4 });
    const p = monitorPlan(cfg);
    tools.add(p.tool);
    everyNode += p.everyNode ? 1 : 0;
    withTime += p.tool === "dmon" && p.dmon.time ? 1 : 0;
    assert.equal(p.intervalS % 30, 0, "a round interval, as a job script gives it");
  }
  assert.deepEqual([...tools].sort(), ["dmon", "none", "query"]);
  assert.ok(everyNode > 5 && everyNode < 35 && withTime > 0);
  const amd = monitorPlan(drawRunConfig({ seed: 3, startMs: START_MS, gpu: findGpu("mi300x") }));
  assert.ok(amd.tool === "none" || amd.tool === "rocm");
});

/** The monitor's lines over a run (the job script's tables left out). */
function monitorLines(choices: Omit<RunChoices, "startMs">, fanout: "srun" | "pdsh" = "srun") {
  const { cfg, events } = periodicRun(choices);
  const st = openGpuMonitor(cfg, { trace: true, fanout });
  const out: Array<{ ev: GpuEvent; lines: string[] }> = [];
  for (const ev of events) {
    if (ev.type !== "gpu") continue;
    const text = gpuMonitorLines(ev, cfg, st);
    out.push({ ev, lines: text === "" ? [] : text.split("\n") });
  }
  return { cfg, st, out };
}

/** The first seed whose drawn plan (on `nodes` nodes) satisfies `want`. */
function seedWhere(want: (p: ReturnType<typeof monitorPlan>) => boolean, nodes: number): number {
  for (let seed = 1; seed < 500; seed++) {
    if (want(monitorPlan(drawRunConfig({ seed, startMs: START_MS, nodes })))) return seed;
  }
  throw new Error("no seed");
}

Deno.test("dmon repeats its two header lines after every 44 rows, at a sample's start", () => {
  const seed = seedWhere((p) => p.tool === "dmon" && !p.everyNode, 1);
  const { cfg, st, out } = monitorLines({ seed, nodes: 1 });
  assert.equal(st.plan.tool, "dmon");
  const lines = out.flatMap((x) => x.lines).filter((l) => /^(?:#| +\d| \d\d:)/.test(l));
  const heads = lines.flatMap((l, i) => (/^#(?: gpu|Time)/.test(l) ? [i] : []));
  assert.ok(heads.length >= 3, `${heads.length} headers`);
  for (let k = 1; k < heads.length; k++) {
    const rows = heads[k] - heads[k - 1] - 2;
    assert.equal(rows, Math.ceil(44 / cfg.gpusPerNode) * cfg.gpusPerNode, `block ${k}`);
  }
});

Deno.test("a monitor on every node: srun's padded task labels, or pdsh's host names", () => {
  const seed = seedWhere((p) => p.tool !== "none" && p.everyNode, 4);
  for (const fanout of ["srun", "pdsh"] as const) {
    const { cfg, out } = monitorLines({ seed, nodes: 4 }, fanout);
    const lines = out.flatMap((x) => x.lines);
    const traces = lines.filter((l) => /^\+ (?:srun|pdsh) /.test(l));
    assert.equal(traces.length, 1);
    assert.match(traces[0], fanout === "srun" ? /^\+ srun --overlap / : /^\+ pdsh -R ssh -w /);
    for (const node of [0, 1, 2, 3]) {
      const prefix = fanout === "srun" ? `${node}: ` : `${hostName(cfg.cluster, node)}: `;
      assert.ok(lines.filter((l) => l.startsWith(prefix)).length > cfg.gpusPerNode, prefix);
    }
  }
});

Deno.test("--query-gpu rows carry the monitor's own clock, header once, one row per GPU", () => {
  const seed = seedWhere((p) => p.tool === "query" && p.fields.includes("timestamp"), 2);
  const { cfg, out } = monitorLines({ seed, nodes: 2 });
  const rows = out.flatMap((x) => x.lines.map((l) => ({ l, ev: x.ev })))
    .filter(({ l }) => /\d{4}\/\d\d\/\d\d /.test(l));
  const heads = out.flatMap((x) => x.lines).filter((l) =>
    /^(?:\d: )?(?:timestamp|index), /.test(l)
  );
  assert.equal(heads.length, monitorPlan(cfg).everyNode ? 2 : 1);
  // Each node's loop starts some way into a second, then every pass comes a query's time later.
  const lags = new Map<string, number[]>();
  for (const { l, ev } of rows) {
    const [t] = lineTimes(l, 2026);
    const node = /^(\d+): /.exec(l)?.[1] ?? "0";
    const seen = lags.get(node) ?? [];
    if (seen.length === 0 || seen.at(-1) !== t - ev.simMs) seen.push(t - ev.simMs);
    lags.set(node, seen);
  }
  for (const seen of lags.values()) {
    assert.ok(seen[0] >= 20 && seen[0] <= 980, `first pass ${seen[0]} ms into its second`);
    for (let i = 1; i < seen.length; i++) {
      const creep = seen[i] - seen[i - 1];
      assert.ok(creep >= 1 && creep <= 10, `each pass ${creep} ms later than the last`);
    }
  }
  const samples = new Set(rows.map(({ ev }) => ev.simMs));
  assert.equal(rows.length, samples.size * cfg.gpusPerNode * (monitorPlan(cfg).everyNode ? 2 : 1));
});

const RUNS: Array<Omit<RunChoices, "startMs">> = [];
for (const seed of [2, 5, 11, 17, 23, 31]) {
  for (const chaos of ["off", "high"] as const) {
    RUNS.push({ seed, chaos, resume: seed % 2 === 0, nodes: [1, 2, 4, 8][seed % 4] });
  }
}
RUNS.push({ seed: 6, nodes: 2, gpu: findGpu("a100-80gb"), chaos: "high" });
RUNS.push({ seed: 8, nodes: 1, gpu: findGpu("v100") });
RUNS.push({ seed: 9, nodes: 2, gpu: findGpu("gb200") });
RUNS.push({ seed: 10, nodes: 1, gpu: findGpu("mi300x") });

/** The GPU events' lines of a styled run, with each one's instant. */
function gpuLines(events: OutputEvent[]): Array<{ line: string; simMs: number }> {
  return events.filter((e) => e.type === "gpu" && e.msg !== "")
    .flatMap((e) => e.msg.split("\n").map((line) => ({ line, simMs: e.simMs })));
}

for (const name of ["deepspeed", "hf"]) {
  Deno.test(`${name}: every GPU tool line has a real shape, and no time after its reading`, () => {
    const shaped = name === "hf"
      ? (l: string) => HF_SHAPES.some((re) => re.test(l))
      : (l: string) => shapeOf(l) !== undefined;
    let printed = 0;
    for (const choices of RUNS) {
      const { events } = periodicRun(choices, STYLES[name]);
      for (const line of textOf(events)) {
        assert.ok(shaped(line), `${JSON.stringify(choices)}: no real shape for\n${line}`);
      }
      for (const { line, simMs } of gpuLines(events)) {
        printed++;
        for (const t of lineTimes(line, 2026)) assert.ok(t <= simMs, `${line} after ${simMs}`);
      }
    }
    // Only the runs whose job script runs nvidia-smi or a monitor print any (a minority).
    assert.ok(printed > 100, `${printed} GPU lines`);
  });
}

Deno.test("a seed replays the monitor's lines byte for byte; another seed prints others", () => {
  const text = (seed: number) =>
    gpuLines(periodicRun({ seed, nodes: 2 }, STYLES.deepspeed).events).map((x) => x.line);
  assert.deepEqual(text(12), text(12));
  assert.notDeepEqual(text(12), text(13));
});

Deno.test("a sensor reads around the die's mean: cards cooling alike do not read alike", () => {
  // Every card's die cools by exactly 3 °C between two samples; what the tool prints still moves
  // by different whole degrees, as real sensors do.
  let uniform = 0;
  const seeds = 40;
  for (let seed = 1; seed <= seeds; seed++) {
    const cfg = drawRunConfig({ seed, nodes: 1, startMs: START_MS });
    const at = (simMs: number, temp: (i: number) => number) =>
      readouts(
        {
          type: "gpu",
          simMs,
          data: {
            node: 0,
            host: "h",
            gpus: Array.from({ length: cfg.gpusPerNode }, (_, i) => ({
              rank: i,
              util_pct: 3,
              temp_c: temp(i),
              mem_used_gib: 60,
              mem_total_gib: 80,
              power_w: 80,
            })),
          },
        } as Parameters<typeof readouts>[0],
        cfg,
      ).map((r) => Math.round(r.tempC));
    const before = at(60_000, (i) => 40.2 + 1.7 * i), after = at(90_000, (i) => 37.2 + 1.7 * i);
    if (new Set(before.map((t, i) => t - after[i])).size === 1) uniform++;
  }
  assert.ok(uniform <= seeds / 10, `${uniform} of ${seeds} runs moved every card alike`);
});

Deno.test("monitors on every node: their samples reach the log in the order their clocks took them", () => {
  let checked = 0;
  const stamp = /^([\w.-]+): .*?(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{3})/;
  for (let seed = 1; seed <= 120 && checked < 4; seed++) {
    for (const style of [STYLES.hf, STYLES.deepspeed]) {
      const rows = gpuLines(periodicRun({ seed, nodes: 3 }, style).events)
        .map((x) => stamp.exec(x.line)).filter((m) => m !== null);
      if (new Set(rows.map((m) => m![1])).size < 2) continue;
      checked++;
      for (let i = 1; i < rows.length; i++) {
        assert.ok(
          rows[i - 1]![2] <= rows[i]![2],
          `seed ${seed}: ${rows[i - 1]![0]} before ${rows[i]![0]}`,
        );
      }
    }
  }
  assert.ok(checked > 0, "no run with a CSV monitor on every node");
});

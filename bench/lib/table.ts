/** The bench's printed table: one row per measurement, then one per budget. */
import type { BenchDocument } from "./report.ts";

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")
    } |`;
  const rule = `| ${
    widths.map((w, i) => (i === 0 ? "-".repeat(w) : "-".repeat(w - 1) + ":")).join(" | ")
  } |`;
  return [line(head), rule, ...rows.map(line)].join("\n");
}

const n = (v: number) => v.toLocaleString("en-US", { maximumFractionDigits: 2 });

type Results = BenchDocument["results"];

function firstByteRows(f: NonNullable<Results["firstByte"]>): string[][] {
  const what = `first byte, median of ${f.rounds} (ms)`;
  return [
    [what, n(f.fauxtrainMs), n(f.helloMs), `${f.ratio}×`],
    [`${what}, from the sources`, n(f.sourcesMs), n(f.helloMs), `${f.sourcesRatio}×`],
  ];
}

function throughputRows(t: NonNullable<Results["throughput"]>[number]): string[][] {
  const what = `--instant ${t.format}, ${n(t.gpus)} GPUs`;
  const a = t.fauxtrain, b = t.baseline;
  return [
    [
      `${what}: wall ms (${n(t.lines)} lines, ${n(t.bytes / 1e6)} MB)`,
      n(a.wallMs),
      n(b.wallMs),
      `${t.ratio}×`,
    ],
    [`${what}: first byte → end ms`, n(a.streamMs), n(b.streamMs), ""],
    [`${what}: lines/s (wall)`, n(a.linesPerS), n(b.linesPerS), ""],
    [`${what}: lines/s (first byte → end)`, n(a.streamLinesPerS), n(b.streamLinesPerS), ""],
    [
      `${what}: MB/s (wall, first byte → end)`,
      `${n(a.mbPerS)}, ${n(a.streamMbPerS)}`,
      `${n(b.mbPerS)}, ${n(b.streamMbPerS)}`,
      "",
    ],
  ];
}

/** ", median of 3 rounds (1.8×, 1.9×, 2.1×)" for a result of several rounds. */
function roundsNote(l: NonNullable<Results["live"]>[number]): string {
  const ratios = l.raw.cpuRatio;
  if (ratios.length < 2) return "";
  return `, median of ${ratios.length} rounds: ${ratios.map((r) => `${r}×`).join(", ")}`;
}

function liveRows(l: NonNullable<Results["live"]>[number]): string[][] {
  const what = `live, ${n(l.gpus)} GPUs`;
  const a = l.fauxtrain, b = l.baseline;
  return [
    [
      `${what}: CPU % of a core (${l.windowS} s${roundsNote(l)})`,
      n(a.cpuPct),
      n(b.cpuPct),
      `${l.cpuRatio}×`,
    ],
    [`${what}: peak RSS MiB`, n(a.peakRssMiB), n(b.peakRssMiB), ""],
    [
      `${what}: frames/s, bytes/frame`,
      `${a.fps}, ${n(a.bytesPerFrame)}`,
      `${b.fps}, ${n(b.bytesPerFrame)}`,
      "",
    ],
  ];
}

function memoryRows(m: NonNullable<Results["memory"]>): string[][] {
  const how = m.v8Flags ? ` with --v8-flags=${m.v8Flags}` : "";
  const early = `RSS MiB at ${n(m.earlySteps)} → ${n(m.warmupSteps)} steps (warm-up)${how}`;
  const after = `RSS MiB at ${n(m.warmupSteps)} → ${n(m.warmupSteps + m.measureSteps)} steps${how}`;
  const each = `RSS MiB, median of each million steps${how}`;
  return [
    [early, `${m.earlyRssMiB} → ${m.warmRssMiB}`, "", `${m.earlyGrowthPct}%`],
    [after, `${m.warmRssMiB} → ${m.finalRssMiB}`, "", `${m.growthPct}%`],
    [each, m.perMillionMiB.map((v) => Math.round(v)).join(", "), "", ""],
  ];
}

function peakRows(p: NonNullable<Results["peakRss"]>[number]): string[][] {
  const what = `--instant ${p.format}, ${n(p.gpus)} GPUs: peak RSS MiB (highest of ${p.rounds}: ` +
    `${p.raw.peakRssMiB.join(", ")})`;
  return [[what, n(p.peakRssMiB), "", ""]];
}

function loopRows(l: NonNullable<Results["loopRss"]>): string[][] {
  const what = `--loop at 131,072 GPUs: RSS MiB, median of each of ${l.minutes} minutes`;
  const first = l.perMinuteMiB[0], last = l.perMinuteMiB[l.minutes - 1];
  return [
    [what, l.perMinuteMiB.map((v) => Math.round(v)).join(", "), "", ""],
    [
      `--loop at 131,072 GPUs: first → last minute (peak ${n(l.peakRssMiB)})`,
      `${first} → ${last}`,
      "",
      `${l.growthPct}%`,
    ],
  ];
}

/** Rows of measured figures: what, fauxtrain, baseline, ratio. */
export function measurementRows(doc: BenchDocument): string[][] {
  const r = doc.results;
  return [
    ...(r.firstByte ? firstByteRows(r.firstByte) : []),
    ...(r.throughput ?? []).flatMap(throughputRows),
    ...(r.live ?? []).flatMap(liveRows),
    ...(r.memory ? memoryRows(r.memory) : []),
    ...(r.memoryFlagged ? memoryRows(r.memoryFlagged) : []),
    ...(r.peakRss ?? []).flatMap(peakRows),
    ...(r.loopRss ? loopRows(r.loopRss) : []),
  ];
}

/** The whole printed report: machine, measurements and budgets. */
export function renderReport(doc: BenchDocument): string {
  const m = doc.machine;
  const head = `fauxtrain bench · ${doc.date} · ${m.nproc} × ${m.cpuModel}, ${m.ramGiB} GiB · ` +
    `Deno ${m.deno} · load ${m.loadAvg1m}`;
  const budgets = doc.budgets.map((b) => [
    b.budget,
    `${n(b.measured)} ${b.unit}`,
    `${n(b.limit)} ${b.unit}`,
    b.pass ? "PASS" : "FAIL",
  ]);
  return [
    head,
    "",
    table(["measurement", "fauxtrain", "baseline", "ratio"], measurementRows(doc)),
    "",
    table(["budget", "measured", "limit", "verdict"], budgets),
  ].join("\n");
}

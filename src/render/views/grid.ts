/**
 * The GPU grid as a pure function of merged telemetry: per-GPU cells while they fit, a per-node
 * heat map with cluster totals and outliers when they do not.
 */
import { type Color, paint } from "../ansi.ts";

/** Cluster facts the grid needs besides the telemetry. */
export interface GridInfo {
  nodes: number;
  gpusPerNode: number;
  memTotalGiB: number;
  host: (node: number) => string;
}

/** The telemetry arrays the grid reads (indexed by global rank). */
export interface GridTelemetry {
  utilPct: Float32Array;
  tempC: Float32Array;
  memGiB: Float32Array;
  powerW: Float32Array;
}

/** Colour of a temperature: cool, warm, hot. */
export function tempColor(c: number): Color {
  return c < 70 ? "green" : c < 80 ? "yellow" : "red";
}

const LEVELS = " ▁▂▃▄▅▆▇█";

function levelGlyph(fraction: number): string {
  return LEVELS[Math.max(0, Math.min(8, Math.round(fraction * 8)))];
}

type CellFormat = { width: number; draw: (t: GridTelemetry, r: number, color: boolean) => string };

const CELLS: CellFormat[] = [
  {
    width: 19,
    draw: (t, r, c) =>
      `${pct(t.utilPct[r])} ${paint(`${deg(t.tempC[r])}C`, tempColor(t.tempC[r]), c)} ` +
      `${t.memGiB[r].toFixed(1).padStart(5)}G ${String(Math.round(t.powerW[r])).padStart(4)}W`,
  },
  {
    width: 8,
    draw: (t, r, c) =>
      `${pct(t.utilPct[r])} ${paint(`${deg(t.tempC[r])}C`, tempColor(t.tempC[r]), c)}`,
  },
  {
    width: 1,
    draw: (t, r, c) => paint(levelGlyph(t.utilPct[r] / 100), tempColor(t.tempC[r]), c),
  },
];

/** A GPU that draws no power is down (a failed node, until it is replaced). */
function isDown(t: GridTelemetry, r: number): boolean {
  return t.powerW[r] === 0;
}

/** The cell of a down GPU: a red cross, with "DOWN" where the cell has room. */
function downCell(width: number, color: boolean): string {
  return paint(width === 1 ? "✗" : "✗ DOWN".padEnd(width), "red", color);
}

function pct(v: number): string {
  return `${String(Math.round(v)).padStart(3)}%`;
}

function deg(v: number): string {
  return String(Math.round(v)).padStart(2);
}

/** Lines of the grid for `width` columns and at most `maxRows` rows. */
export function gridLines(
  t: GridTelemetry,
  info: GridInfo,
  width: number,
  maxRows: number,
  color: boolean,
): string[] {
  if (maxRows < 2) return [];
  const hostW = Math.max(...[0, info.nodes - 1].map((n) => info.host(n).length));
  if (info.nodes + 1 <= maxRows) {
    for (const cell of CELLS) {
      const sep = cell.width === 1 ? "" : " ";
      const rowW = hostW + 3 + info.gpusPerNode * (cell.width + sep.length) + 12;
      if (rowW <= width) return perGpuLines(t, info, cell, sep, hostW, color);
    }
  }
  return heatMapLines(t, info, width, maxRows, color);
}

function perGpuLines(
  t: GridTelemetry,
  info: GridInfo,
  cell: CellFormat,
  sep: string,
  hostW: number,
  color: boolean,
): string[] {
  const g = info.gpusPerNode;
  const out = [
    paint(
      `${"node".padEnd(hostW)} │ GPU 0-${g - 1} (util temp${cell.width > 8 ? " mem power" : ""})`,
      "dim",
      color,
    ),
  ];
  for (let n = 0; n < info.nodes; n++) {
    const cells: string[] = [];
    let power = 0;
    for (let i = 0; i < g; i++) {
      const r = n * g + i;
      // A down cell takes the width the live cell draws at (its digits are fixed-width).
      cells.push(
        isDown(t, r) ? downCell(cell.draw(t, r, false).length, color) : cell.draw(t, r, color),
      );
      power += t.powerW[r];
    }
    out.push(`${info.host(n).padEnd(hostW)} │ ${cells.join(sep)} │ ${(power / 1000).toFixed(2)}kW`);
  }
  return out;
}

/** Cluster-wide statistics over every GPU. */
export function clusterStats(t: GridTelemetry) {
  let utilSum = 0,
    utilMin = Infinity,
    tempSum = 0,
    tempMax = -Infinity,
    hottest = 0,
    power = 0,
    mem = 0;
  const n = t.utilPct.length;
  for (let r = 0; r < n; r++) {
    const u = t.utilPct[r], c = t.tempC[r];
    utilSum += u;
    if (u < utilMin) utilMin = u;
    tempSum += c;
    if (c > tempMax) (tempMax = c), (hottest = r);
    power += t.powerW[r];
    mem += t.memGiB[r];
  }
  return {
    utilMean: utilSum / n,
    utilMin,
    tempMean: tempSum / n,
    tempMax,
    hottest,
    powerW: power,
    memMean: mem / n,
  };
}

function heatMapLines(
  t: GridTelemetry,
  info: GridInfo,
  width: number,
  maxRows: number,
  color: boolean,
): string[] {
  const g = info.gpusPerNode;
  const s = clusterStats(t);
  const hot = s.hottest;
  const header =
    `${info.nodes} nodes · util ${s.utilMean.toFixed(1)}% (min ${Math.round(s.utilMin)}%) · ` +
    `temp ${s.tempMean.toFixed(0)}C (max ${Math.round(s.tempMax)}C ${
      info.host(Math.floor(hot / g))
    } GPU ${hot % g}) · ` +
    `${formatPower(s.powerW)} · mem ${s.memMean.toFixed(1)}/${info.memTotalGiB.toFixed(1)} GiB`;
  const perRow = Math.max(1, width);
  const rows = Math.min(maxRows - 1, Math.ceil(info.nodes / perRow));
  // When even the heat map does not fit, each glyph stands for a group of nodes.
  const group = Math.ceil(info.nodes / (rows * perRow));
  const glyphs: string[] = [];
  for (let first = 0; first < info.nodes; first += group) {
    let util = 0, temp = -Infinity, down = false;
    const last = Math.min(info.nodes, first + group);
    for (let r = first * g; r < last * g; r++) {
      util += t.utilPct[r];
      if (t.tempC[r] > temp) temp = t.tempC[r];
      down ||= isDown(t, r);
    }
    if (down) glyphs.push(downCell(1, color));
    else glyphs.push(paint(levelGlyph(util / ((last - first) * g) / 100), tempColor(temp), color));
  }
  const out = [paint(header, "dim", color)];
  for (let i = 0; i < glyphs.length; i += perRow) out.push(glyphs.slice(i, i + perRow).join(""));
  return out;
}

/** Power in W, kW or MW. */
export function formatPower(w: number): string {
  if (w >= 1e6) return `${(w / 1e6).toFixed(2)} MW`;
  if (w >= 1e3) return `${(w / 1e3).toFixed(1)} kW`;
  return `${Math.round(w)} W`;
}

/**
 * The GPU grid as a pure function of merged telemetry: one row of per-GPU cells per node (or a
 * few rows when the terminal is narrow) while they fit, a per-node heat map with cluster
 * totals and outliers when they do not.
 */
import { type Color, crop, paint } from "../ansi.ts";
import { heatMapLines } from "./heat_map.ts";

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

/** Colour of a temperature in °C: cool, warm, hot. */
export function tempColor(tempC: number): Color {
  return tempC < 70 ? "green" : tempC < 80 ? "yellow" : "red";
}

const LEVELS = " ▁▂▃▄▅▆▇█";

/** A block glyph whose height shows `fraction` (0–1) in eighths. */
export function levelGlyph(fraction: number): string {
  return LEVELS[Math.max(0, Math.min(8, Math.round(fraction * 8)))];
}

interface CellFormat {
  /** Visible width of one cell. */
  width: number;
  /** What the header says the cells show. */
  legend: string;
  draw: (t: GridTelemetry, rank: number, memTotalGiB: number, color: boolean) => string;
}

/** A GPU that draws no power is down (a failed node, until it is replaced). */
export function isDown(t: GridTelemetry, r: number): boolean {
  return t.powerW[r] === 0;
}

/** The cell of a down GPU: a red cross, with "DOWN" where the cell has room. */
function downCell(width: number, color: boolean): string {
  return paint(width === 1 ? "✗" : "✗ DOWN".padEnd(width), "red", color);
}

/**
 * `f(n)` for whole numbers 0 to `size` − 1 made once, the rest made each time: the grid formats
 * every GPU's readings once a second, and the same few hundred strings come back each time.
 */
function tabled(size: number, f: (n: number) => string): (n: number) => string {
  const table: string[] = [];
  return (n) => n >= 0 && n < size ? (table[n] ??= f(n)) : f(n);
}

const pctText = tabled(101, (n) => `${String(n).padStart(3)}%`);

function pct(v: number): string {
  return pctText(Math.round(v));
}

const degreesText = tabled(150, (c) => `${String(c).padStart(2)}C`);

function temp(t: GridTelemetry, r: number, color: boolean): string {
  return paint(degreesText(Math.round(t.tempC[r])), tempColor(t.tempC[r]), color);
}

const wattText = tabled(2000, (w) => `${String(w).padStart(4)}W`);

/** Util, temperature, memory and power: ` 98% 64C  61.2G  612W`. */
const FULL: CellFormat = {
  width: 21,
  legend: "util temp mem power",
  draw: (t, r, memTotal, c) =>
    `${pct(t.utilPct[r])} ${temp(t, r, c)} ${
      paint(
        `${t.memGiB[r].toFixed(1).padStart(5)}G`,
        t.memGiB[r] > 0.97 * memTotal ? "red" : "gray",
        c,
      )
    } ${wattText(Math.round(t.powerW[r]))}`,
};

/** Util and temperature: ` 98% 64C`. */
const COMPACT: CellFormat = {
  width: 8,
  legend: "util temp",
  draw: (t, r, _m, c) => `${pct(t.utilPct[r])} ${temp(t, r, c)}`,
};

/** One glyph: height is utilisation, colour is temperature. */
const GLYPH: CellFormat = {
  width: 1,
  legend: "util ▁-█, colour temp",
  draw: (t, r, _m, c) => paint(levelGlyph(t.utilPct[r] / 100), tempColor(t.tempC[r]), c),
};

/** Cell formats by preference, each with the rows per node it may spread over. */
const LAYOUTS: Array<[CellFormat, number]> = [
  [FULL, 1],
  [FULL, 2],
  [COMPACT, 1],
  [COMPACT, 2],
  [FULL, 4],
  [COMPACT, 4],
  [COMPACT, 8],
  [GLYPH, 1],
];

/** gridRank() of the heat map: below every per-GPU layout. */
export const HEAT_MAP_RANK = LAYOUTS.length;

/** Width of the ` │ 2.68kW` node-power column. */
const NODE_POWER_W = 10;

interface PerGpuLayout {
  cell: CellFormat;
  perRow: number;
  rowsPerNode: number;
  hostW: number;
  /** Index in LAYOUTS: lower shows more. */
  rank: number;
}

function hostWidth(info: GridInfo): number {
  return Math.max(4, info.host(0).length, info.host(info.nodes - 1).length);
}

/** The richest per-GPU layout that fits `width` × `maxRows` and its rank, or null for the heat map. */
function perGpuLayout(info: GridInfo, width: number, maxRows: number): PerGpuLayout | null {
  const hostW = hostWidth(info), g = info.gpusPerNode;
  for (let rank = 0; rank < LAYOUTS.length; rank++) {
    const [cell, rows] = LAYOUTS[rank];
    const rowsPerNode = Math.min(rows, g);
    const perRow = Math.ceil(g / rowsPerNode);
    const sep = cell.width > 1 ? 1 : 0;
    const rowW = hostW + 3 + perRow * (cell.width + sep) - sep + NODE_POWER_W;
    if (rowW <= width && 1 + info.nodes * rowsPerNode <= maxRows) {
      return { cell, perRow, rowsPerNode, hostW, rank };
    }
  }
  return null;
}

/**
 * How much the grid can show in `width` × `maxRows`: 0 for the richest per-GPU cells, higher
 * for poorer ones, and `HEAT_MAP_RANK` when only the heat map fits.
 */
export function gridRank(info: GridInfo, width: number, maxRows: number): number {
  return perGpuLayout(info, width, maxRows)?.rank ?? HEAT_MAP_RANK;
}

/** Lines of the grid for `width` columns (never wider) and at most `maxRows` rows. */
export function gridLines(
  t: GridTelemetry,
  info: GridInfo,
  width: number,
  maxRows: number,
  color: boolean,
): string[] {
  if (maxRows < 2) return [];
  const layout = perGpuLayout(info, width, maxRows);
  const lines = layout
    ? perGpuLines(t, info, layout, color)
    : heatMapLines(t, info, width, maxRows, color);
  return lines.map((line) => crop(line, width));
}

function perGpuLines(t: GridTelemetry, info: GridInfo, l: PerGpuLayout, color: boolean): string[] {
  const g = info.gpusPerNode;
  const sep = l.cell.width > 1 ? " " : "";
  const head = `${"node".padEnd(l.hostW)} │ ${l.cell.legend} per GPU`;
  const out = [paint(head, "dim", color)];
  for (let n = 0; n < info.nodes; n++) {
    let powerW = 0;
    for (let i = 0; i < g; i++) powerW += t.powerW[n * g + i];
    for (let row = 0; row < l.rowsPerNode; row++) {
      const cells: string[] = [];
      const first = n * g + row * l.perRow;
      for (let r = first; r < Math.min(first + l.perRow, (n + 1) * g); r++) {
        // A down cell takes the width the live cell draws at (its digits are fixed-width).
        cells.push(
          isDown(t, r)
            ? downCell(l.cell.draw(t, r, info.memTotalGiB, false).length, color)
            : l.cell.draw(t, r, info.memTotalGiB, color),
        );
      }
      const host = row === 0 ? info.host(n) : "";
      const power = row === 0 ? ` │ ${(powerW / 1000).toFixed(2)}kW` : "";
      out.push(`${host.padEnd(l.hostW)} │ ${cells.join(sep)}${power}`);
    }
  }
  return out;
}

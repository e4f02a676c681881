/**
 * The grid for clusters too large for per-GPU cells: cluster totals, the outliers a watcher
 * would look for (hottest GPUs, slowest node), and a heat map with one glyph per node (or per
 * group of nodes) whose height is utilisation and whose colour is the hottest GPU's temperature.
 */
import { type Color, crop, paint } from "../ansi.ts";
import { type GridInfo, type GridTelemetry, isDown, levelGlyph, tempColor } from "./grid.ts";

/** Cluster-wide statistics over every GPU. */
export interface ClusterStats {
  utilMean: number;
  utilMin: number;
  utilMax: number;
  tempMean: number;
  tempMin: number;
  tempMax: number;
  powerW: number;
  memMeanGiB: number;
  /** Ranks of the hottest GPUs, hottest first. */
  hottest: number[];
  /** Node with the lowest mean utilisation, and that mean. */
  slowestNode: number;
  slowestUtil: number;
}

/** Hottest GPUs the outliers line names. */
const HOTTEST = 3;
/** Narrowest terminal whose heat-map rows start with a host name. */
const LABEL_MIN_WIDTH = 60;

/** Computes the statistics in one pass over every GPU. */
export function clusterStats(t: GridTelemetry, gpusPerNode: number): ClusterStats {
  const n = t.utilPct.length;
  const s: ClusterStats = {
    utilMean: 0,
    utilMin: Infinity,
    utilMax: -Infinity,
    tempMean: 0,
    tempMin: Infinity,
    tempMax: -Infinity,
    powerW: 0,
    memMeanGiB: 0,
    hottest: [],
    slowestNode: 0,
    slowestUtil: Infinity,
  };
  let utilSum = 0, tempSum = 0, memSum = 0, nodeUtil = 0;
  for (let r = 0; r < n; r++) {
    const u = t.utilPct[r], c = t.tempC[r];
    utilSum += u;
    tempSum += c;
    memSum += t.memGiB[r];
    s.powerW += t.powerW[r];
    s.utilMin = Math.min(s.utilMin, u);
    s.utilMax = Math.max(s.utilMax, u);
    s.tempMin = Math.min(s.tempMin, c);
    s.tempMax = Math.max(s.tempMax, c);
    if (s.hottest.length < HOTTEST || c > t.tempC[s.hottest[HOTTEST - 1]]) keepHottest(t, s, r);
    nodeUtil += u;
    if (r % gpusPerNode === gpusPerNode - 1) {
      if (nodeUtil / gpusPerNode < s.slowestUtil) {
        s.slowestUtil = nodeUtil / gpusPerNode;
        s.slowestNode = Math.floor(r / gpusPerNode);
      }
      nodeUtil = 0;
    }
  }
  s.utilMean = utilSum / n;
  s.tempMean = tempSum / n;
  s.memMeanGiB = memSum / n;
  return s;
}

function keepHottest(t: GridTelemetry, s: ClusterStats, rank: number): void {
  let i = Math.min(s.hottest.length, HOTTEST - 1);
  while (i > 0 && t.tempC[s.hottest[i - 1]] < t.tempC[rank]) i--;
  s.hottest.splice(i, 0, rank);
  s.hottest.length = Math.min(s.hottest.length, HOTTEST);
}

/** Power in W, kW or MW. */
export function formatPower(w: number): string {
  if (w >= 1e6) return `${(w / 1e6).toFixed(2)} MW`;
  if (w >= 1e3) return `${(w / 1e3).toFixed(1)} kW`;
  return `${Math.round(w)} W`;
}

/** Packs segments into lines of at most `width`, joined by ` · `; a long segment is cropped. */
export function flow(segments: string[], width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const seg of segments) {
    if (line && line.length + 3 + seg.length <= width) line += ` · ${seg}`;
    else {
      if (line) out.push(line);
      line = crop(seg, width);
    }
  }
  if (line) out.push(line);
  return out;
}

/** Totals lines, then outlier lines. */
function headerLines(
  t: GridTelemetry,
  s: ClusterStats,
  info: GridInfo,
  group: number,
  width: number,
): [string[], string[]] {
  const g = info.gpusPerNode;
  const r = Math.round;
  const totals = flow([
    `${info.nodes} nodes × ${g} GPUs${group > 1 ? `, ${group} nodes per cell` : ""}`,
    `util ${s.utilMean.toFixed(1)}% min ${r(s.utilMin)} max ${r(s.utilMax)}`,
    `temp ${s.tempMean.toFixed(1)}C min ${r(s.tempMin)} max ${r(s.tempMax)}`,
    `power ${formatPower(s.powerW)}`,
    `mem ${s.memMeanGiB.toFixed(1)}/${info.memTotalGiB.toFixed(1)} GiB per GPU`,
    "cells: height util, colour temp",
  ], width);
  const hottest = s.hottest.map((rank) =>
    `${info.host(Math.floor(rank / g))}/${rank % g} ${r(t.tempC[rank])}C`
  );
  const outliers = flow([
    `hottest ${hottest.join(", ")}`,
    `slowest ${info.host(s.slowestNode)} util ${s.slowestUtil.toFixed(1)}%`,
  ], width);
  return [totals, outliers];
}

/** Joins glyphs, painting each run of one colour once (fewer escape bytes per frame). */
function paintRuns(glyphs: string[], colors: Color[], color: boolean): string {
  if (!color) return glyphs.join("");
  let out = "", from = 0;
  for (let i = 1; i <= glyphs.length; i++) {
    if (i === glyphs.length || colors[i] !== colors[from]) {
      out += paint(glyphs.slice(from, i).join(""), colors[from], true);
      from = i;
    }
  }
  return out;
}

/** One glyph and colour per cell of `group` nodes: mean utilisation, hottest GPU. */
function cells(t: GridTelemetry, info: GridInfo, group: number): [string[], Color[]] {
  const g = info.gpusPerNode;
  const glyphs: string[] = [], colors: Color[] = [];
  for (let first = 0; first < info.nodes; first += group) {
    const last = Math.min(info.nodes, first + group);
    let util = 0, hot = -Infinity, down = false;
    for (let r = first * g; r < last * g; r++) {
      util += t.utilPct[r];
      if (t.tempC[r] > hot) hot = t.tempC[r];
      down ||= isDown(t, r);
    }
    // A cell holding a failed node shows it, whatever the others do.
    glyphs.push(down ? "✗" : levelGlyph(util / ((last - first) * g) / 100));
    colors.push(down ? "red" : tempColor(hot));
  }
  return [glyphs, colors];
}

/** How many totals and outlier lines to keep: the first of each, then more while rows allow. */
function headerCounts(totals: number, outliers: number, maxRows: number): [number, number] {
  // The header never takes more than half the rows, and always leaves one for the map.
  const budget = Math.max(1, Math.min(maxRows - 1, Math.ceil(maxRows / 2)));
  let nT = 1;
  let nO = Math.min(outliers, budget - nT);
  nT += Math.min(totals - nT, budget - nT - nO);
  nO += Math.min(outliers - nO, budget - nT - nO);
  return [nT, nO];
}

/** The heat-map grid for `width` columns and at most `maxRows` rows (at least 2). */
export function heatMapLines(
  t: GridTelemetry,
  info: GridInfo,
  width: number,
  maxRows: number,
  color: boolean,
): string[] {
  const hostW = Math.max(info.host(0).length, info.host(info.nodes - 1).length);
  const labelW = width >= LABEL_MIN_WIDTH ? hostW + 1 : 0;
  const perRow = Math.max(1, width - labelW);
  const s = clusterStats(t, info.gpusPerNode);
  // The header is longest when one cell holds every node, so sizing it that way leaves the
  // real header no longer.
  const [longT, longO] = headerLines(t, s, info, info.nodes, width);
  const [nT, nO] = headerCounts(longT.length, longO.length, maxRows);
  const mapRows = Math.max(1, maxRows - nT - nO);
  const group = Math.ceil(info.nodes / (mapRows * perRow));
  const [totals, outliers] = headerLines(t, s, info, group, width);
  const header = [...totals.slice(0, nT), ...outliers.slice(0, nO)];
  const [glyphs, colors] = cells(t, info, group);
  const out = header.map((l) => paint(l, "dim", color));
  for (let i = 0; i < glyphs.length; i += perRow) {
    const label = labelW ? paint(info.host(i * group).padEnd(labelW), "gray", color) : "";
    out.push(label + paintRuns(glyphs.slice(i, i + perRow), colors.slice(i, i + perRow), color));
  }
  return out;
}

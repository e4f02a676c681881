/**
 * The loss curve and the learning-rate schedule as the live region shows them: braille plots
 * side by side when there is room, one-row sparklines when there is not.
 */
import { crop, paint, visibleWidth } from "../ansi.ts";
import { type CurveHistory, curveSeries } from "../curve_history.ts";
import { formatLr } from "../../format/units.ts";
import { braillePlot, extent, resample, sparkline } from "./sparkline.ts";

/** Braille rows of each plot in the full layout. */
const PLOT_ROWS = 3;
/** Narrowest terminal that gets two plots side by side. */
const SIDE_BY_SIDE_MIN_WIDTH = 60;
const GAP = "   ";

/**
 * Rows the curves take for a row budget: the full plots, two sparklines, one, or none (also
 * before the first step, when `plotted` is false).
 */
export function curveRows(plotted: boolean, width: number, budget: number): number {
  if (!plotted || budget < 1) return 0;
  if (budget >= PLOT_ROWS + 1 && width >= SIDE_BY_SIDE_MIN_WIDTH) return PLOT_ROWS + 1;
  return Math.min(budget, width >= SIDE_BY_SIDE_MIN_WIDTH ? 1 : 2);
}

/** What a curve's lines say besides its picture. */
interface CurveText {
  name: "loss" | "lr";
  /** The latest value, formatted. */
  now: string;
  /** What the full plot's title adds after the latest value. */
  detail: string;
}

function textsOf(h: CurveHistory, scheduleLabel: string): [CurveText, CurveText] {
  return [
    { name: "loss", now: h.lastLoss.toFixed(4), detail: `min ${h.minLoss.toFixed(4)}` },
    { name: "lr", now: formatLr(h.lastLr), detail: scheduleLabel },
  ];
}

function hue(c: CurveText) {
  return c.name === "loss" ? "cyan" as const : "magenta" as const;
}

/** Pads styled text with spaces to `width` visible cells. */
function padTo(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - visibleWidth(text)));
}

/**
 * The pictures of the two curves, unpainted: each plot's braille rows in the full layout, or
 * each sparkline, as wide as it was drawn for (`cells`). They are the costly part of the curves
 * (the history's means, resampled), and a step moves them by a dot at most, so a caller may keep
 * them for a while and redraw only the titles and values around them (see curveLinesWith).
 */
export interface CurvePictures {
  /** The width and rows (as curveRows() chose) they were drawn for. */
  width: number;
  rows: number;
  /** Cells of each picture's rows. */
  cells: [number, number];
  loss: string[];
  lr: string[];
}

/** Cells of a picture: the plot's half of the width, or what a sparkline row leaves. */
function cellsFor(c: CurveText, width: number, rows: number): number {
  const room = width >= SIDE_BY_SIDE_MIN_WIDTH ? Math.floor((width - GAP.length) / 2) : width;
  if (width >= SIDE_BY_SIDE_MIN_WIDTH && rows > 1) return room;
  return Math.max(0, room - c.name.length - c.now.length - 2);
}

/** The curves' pictures for `width` × `rows` (rows as curveRows() chose) of the history now. */
export function curvePictures(
  h: CurveHistory,
  scheduleLabel: string,
  width: number,
  rows: number,
): CurvePictures {
  const [lossText, lrText] = textsOf(h, scheduleLabel);
  const cells: [number, number] = [
    cellsFor(lossText, width, rows),
    cellsFor(lrText, width, rows),
  ];
  const none = { width, rows, cells, loss: [], lr: [] };
  if (rows === 0 || h.used === 0) return none;
  const { loss, lr } = curveSeries(h);
  const [lossLo, lossHi] = extent(loss);
  const lrHi = extent(lr)[1];
  if (width >= SIDE_BY_SIDE_MIN_WIDTH && rows > 1) {
    return {
      ...none,
      loss: braillePlot(resample(loss, cells[0] * 2), lossLo, lossHi, PLOT_ROWS),
      lr: braillePlot(resample(lr, cells[1] * 2), 0, lrHi, PLOT_ROWS),
    };
  }
  return {
    ...none,
    loss: [sparkline(resample(loss, cells[0]), lossLo, lossHi)],
    lr: [sparkline(resample(lr, cells[1]), 0, lrHi)],
  };
}

function plot(c: CurveText, picture: string[], width: number, color: boolean): string[] {
  const title = `${c.name} ${paint(c.now, "bold", color)} ${paint(c.detail, "dim", color)}`;
  return [padTo(crop(title, width), width)].concat(picture.map((r) => paint(r, hue(c), color)));
}

/** `loss ▇▅▃▂▁▁ 2.1345` in `width` columns. */
function sparkRow(c: CurveText, spark: string, width: number, color: boolean): string {
  return padTo(crop(`${c.name} ${paint(spark, hue(c), color)} ${c.now}`, width), width);
}

/** The curves' lines for `width` columns and `rows` rows (as curveRows() chose), cropped. */
export function curveLines(
  h: CurveHistory,
  scheduleLabel: string,
  width: number,
  rows: number,
  color: boolean,
): string[] {
  const pictures = curvePictures(h, scheduleLabel, width, rows);
  return curveLinesWith(pictures, h, scheduleLabel, width, rows, color);
}

/**
 * curveLines() with the pictures given (drawn earlier, perhaps from an older history): only the
 * titles and latest values are drawn now. Pictures drawn for another layout, or for sparklines
 * of another width (a latest value got a digit longer), are drawn anew.
 */
export function curveLinesWith(
  pictures: CurvePictures,
  h: CurveHistory,
  scheduleLabel: string,
  width: number,
  rows: number,
  color: boolean,
): string[] {
  if (rows === 0 || h.used === 0) return [];
  const [loss, lr] = textsOf(h, scheduleLabel);
  const fits = pictures.width === width && pictures.rows === rows &&
    pictures.cells[0] === cellsFor(loss, width, rows) &&
    pictures.cells[1] === cellsFor(lr, width, rows) && pictures.loss.length > 0;
  const p = fits ? pictures : curvePictures(h, scheduleLabel, width, rows);
  let lines: string[];
  if (width >= SIDE_BY_SIDE_MIN_WIDTH) {
    const half = Math.floor((width - GAP.length) / 2);
    if (rows === 1) {
      lines = [sparkRow(loss, p.loss[0], half, color) + GAP + sparkRow(lr, p.lr[0], half, color)];
    } else {
      const left = plot(loss, p.loss, half, color), right = plot(lr, p.lr, half, color);
      lines = left.map((l, i) => `${l}${GAP}${right[i]}`);
    }
  } else {
    lines = [sparkRow(loss, p.loss[0], width, color), sparkRow(lr, p.lr[0], width, color)]
      .slice(0, rows);
  }
  return lines.map((l) => crop(l, width));
}

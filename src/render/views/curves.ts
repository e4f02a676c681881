/**
 * The loss curve and the learning-rate schedule as the live region shows them: braille plots
 * side by side when there is room, one-row sparklines when there is not.
 */
import { crop, paint, visibleWidth } from "../ansi.ts";
import { type CurveHistory, curveSeries } from "../curve_history.ts";
import { formatLr } from "../../style/units.ts";
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

interface Curve {
  name: "loss" | "lr";
  values: Float64Array;
  lo: number;
  hi: number;
  /** The latest value, formatted. */
  now: string;
  /** What the full plot's title adds after the latest value. */
  detail: string;
}

function curvesOf(h: CurveHistory, scheduleLabel: string): [Curve, Curve] {
  const { loss, lr } = curveSeries(h);
  const [lossLo, lossHi] = extent(loss);
  return [
    {
      name: "loss",
      values: loss,
      lo: lossLo,
      hi: lossHi,
      now: h.lastLoss.toFixed(4),
      detail: `min ${h.minLoss.toFixed(4)}`,
    },
    {
      name: "lr",
      values: lr,
      lo: 0,
      hi: extent(lr)[1],
      now: formatLr(h.lastLr),
      detail: scheduleLabel,
    },
  ];
}

function hue(c: Curve) {
  return c.name === "loss" ? "cyan" as const : "magenta" as const;
}

/** Pads styled text with spaces to `width` visible cells. */
function padTo(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - visibleWidth(text)));
}

function plot(c: Curve, width: number, color: boolean): string[] {
  const title = `${c.name} ${paint(c.now, "bold", color)} ${paint(c.detail, "dim", color)}`;
  const rows = braillePlot(resample(c.values, width * 2), c.lo, c.hi, PLOT_ROWS);
  return [padTo(crop(title, width), width)].concat(rows.map((r) => paint(r, hue(c), color)));
}

/** `loss ▇▅▃▂▁▁ 2.1345` in `width` columns. */
function sparkRow(c: Curve, width: number, color: boolean): string {
  const room = Math.max(0, width - c.name.length - c.now.length - 2);
  const spark = sparkline(resample(c.values, room), c.lo, c.hi);
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
  return uncroppedCurveLines(h, scheduleLabel, width, rows, color).map((l) => crop(l, width));
}

function uncroppedCurveLines(
  h: CurveHistory,
  scheduleLabel: string,
  width: number,
  rows: number,
  color: boolean,
): string[] {
  if (rows === 0 || h.used === 0) return [];
  const [loss, lr] = curvesOf(h, scheduleLabel);
  if (width >= SIDE_BY_SIDE_MIN_WIDTH) {
    const half = Math.floor((width - GAP.length) / 2);
    if (rows === 1) return [sparkRow(loss, half, color) + GAP + sparkRow(lr, half, color)];
    const left = plot(loss, half, color), right = plot(lr, half, color);
    return left.map((l, i) => `${l}${GAP}${right[i]}`);
  }
  return [sparkRow(loss, width, color), sparkRow(lr, width, color)].slice(0, rows);
}

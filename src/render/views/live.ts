/**
 * The live region as a pure picture of state: title, epoch and step bars, metrics, task bar,
 * the loss and learning-rate curves and the GPU grid, fitted to the terminal's width and height.
 */
import type { BarState, PhaseEvent, StepData } from "../../sim/events.ts";
import { crop, paint, visibleWidth } from "../ansi.ts";
import { blockBar, formatIterRate } from "../../format/meter.ts";
import { formatDuration, formatLr, formatRate } from "../../format/units.ts";
import type { CurveHistory } from "../curve_history.ts";
import { curveLines, curveRows } from "./curves.ts";
import { type GridInfo, gridLines, gridRank, type GridTelemetry, HEAT_MAP_RANK } from "./grid.ts";
import { type JobHeader, jobHeaderLine } from "./job_header.ts";

/** Everything the live region shows. */
export interface LiveState {
  /** The job the title line heads the region with (see jobHeaderLine()). */
  job: JobHeader;
  epochs: number;
  totalSteps: number;
  phase: PhaseEvent["phase"];
  epoch: number;
  step: StepData | null;
  bar: BarState | null;
  telemetry: GridTelemetry | null;
  grid: GridInfo;
  simMs: number;
  /** Loss and learning rate of every step so far, downsampled (absent: no curves). */
  curves?: CurveHistory;
  /** What the learning-rate plot says about the schedule, e.g. "cosine, warm-up 2000". */
  scheduleLabel?: string;
  /**
   * Bumped whenever the curves should be drawn anew from `curves` (which changes in place): a
   * caller that remembers views redraws them only then.
   */
  curvesVersion?: number;
  /**
   * Seconds per step the step bar shows, smoothed over the latest steps (see step_rate.ts);
   * absent: the step's own time.
   */
  secPerStep?: number;
  /**
   * Screen rows the log above the region would like, for its latest lines as the terminal wraps
   * them (absent: 0); see liveRows().
   */
  logRowsWanted?: number;
}

/** Rows the live region keeps however much the log wants: title, bars, metrics and task bar. */
const ESSENTIAL_ROWS = 5;

/**
 * Rows of a `height`-row screen the live region may take, the cursor's line below it not
 * counted: the log above keeps a fair share, a third of the screen, or up to half when its
 * latest lines wrap onto more rows (`logRowsWanted`); on a very short screen the title, bars
 * and metrics come first. A region with less to show (a small cluster) leaves the log more.
 */
export function liveRows(height: number, logRowsWanted = 0): number {
  const logRows = Math.max(Math.ceil(height / 3), Math.min(Math.floor(height / 2), logRowsWanted));
  return Math.max(Math.min(ESSENTIAL_ROWS, height - 1), height - 1 - logRows);
}

/** Fewest rows worth giving a heat map (header and a few rows of cells). */
const HEAT_MAP_MIN_ROWS = 6;

/** Fewest rows a grid can be drawn in (see gridLines()). */
const GRID_MIN_ROWS = 2;

/**
 * Splits `room` rows between the curves (when `plotted`) and the grid (when there is telemetry
 * for it): richer per-GPU cells win over bigger plots, bigger plots over a cramped heat map,
 * but the curves keep a row while the grid still has its own; what is left goes to the grid.
 * Returns [curve rows, grid rows].
 */
export function splitRows(
  plotted: boolean,
  grid: GridInfo | null,
  width: number,
  room: number,
): [number, number] {
  const options = [room, 3, 1, 0].map((b) => curveRows(plotted, width, Math.min(b, room)));
  if (!grid) return [options[0], 0];
  const score = (gridRows: number) => {
    const rank = gridRank(grid, width, gridRows);
    return rank === HEAT_MAP_RANK && gridRows < HEAT_MAP_MIN_ROWS ? rank + 1 : rank;
  };
  // The loss curve is what a watcher of training looks for first: no grid layout, however
  // rich, takes its last row, unless the grid would have no room at all beside it.
  const withCurves = options.filter((c) => c > 0 && room - c >= GRID_MIN_ROWS);
  const candidates = withCurves.length > 0 ? withCurves : options;
  let best = candidates[0];
  for (const c of candidates) if (score(room - c) < score(room - best)) best = c;
  return [best, room - best];
}

/** Narrowest bar worth drawing before a shorter suffix is tried. */
const MIN_BAR_W = 10;

/**
 * A labelled bar line: `label ███▌    45% suffix`, fitted to `width`. `suffix` may list
 * alternatives, longest first; the first that leaves room for a bar is used.
 */
export function barLine(
  label: string,
  fraction: number,
  suffix: string | string[],
  width: number,
  color: boolean,
): string {
  const pct = `${Math.floor(Math.min(1, fraction) * 100)}%`.padStart(4);
  const roomFor = (sfx: string) => width - label.length - sfx.length - pct.length - 4;
  const options = typeof suffix === "string" ? [suffix] : suffix;
  const sfx = options.find((o) => roomFor(o) >= MIN_BAR_W) ?? options[options.length - 1];
  const barW = Math.max(0, Math.min(50, roomFor(sfx)));
  const bar = barW > 0 ? ` ${paint(blockBar(fraction, barW), "cyan", color)}` : "";
  return crop(`${label}${bar} ${pct}${sfx ? " " + sfx : ""}`, width);
}

/** The latest step's metrics, as many whole ones as fit in `width`. */
function metricsLine(d: StepData, width: number, color: boolean): string {
  const parts = [
    `loss ${paint(d.loss.toFixed(4), "bold", color)}`,
    `ppl ${d.ppl.toFixed(2)}`,
    `lr ${formatLr(d.lr)}`,
    `grad ${d.grad_norm.toFixed(3)}`,
    `${formatRate(d.tokens_per_s)} tok/s`,
    `${d.samples_per_s.toFixed(1)} samples/s`,
    `${d.tflops_per_gpu.toFixed(0)} TFLOP/s/GPU`,
    `MFU ${(d.mfu * 100).toFixed(1)}%`,
  ];
  const sep = paint(" │ ", "gray", color);
  const sepWidth = visibleWidth(sep);
  let line = parts[0], used = visibleWidth(line);
  for (let i = 1; i < parts.length; i++) {
    used += sepWidth + visibleWidth(parts[i]);
    if (used > width) break;
    line += sep + parts[i];
  }
  return crop(line, width);
}

/**
 * The epoch and step bars and the metrics line of a step: what changes with every step. A pure
 * function of the step, the run's size and the smoothed seconds per step the step bar shows as
 * tqdm does (`2.41it/s`, or `7.34s/it` below one a second), so a caller can draw it ahead of
 * the step's frame.
 */
export function stepLines(
  d: StepData,
  run: { epochs: number; totalSteps: number },
  secPerStep: number,
  width: number,
  color: boolean,
): string[] {
  const epochDone = (d.epoch - 1 + d.epoch_step / d.steps_per_epoch) / run.epochs;
  const clock = `${formatDuration(d.elapsed_s)}<${formatDuration(d.eta_s)}`;
  const timing = [`${clock} ${formatIterRate(1 / secPerStep)}`, clock];
  return [
    barLine(`Epoch ${d.epoch}/${run.epochs}`, epochDone, "", width, color),
    barLine(`Step ${d.step}/${run.totalSteps}`, d.step / run.totalSteps, timing, width, color),
    metricsLine(d, width, color),
  ];
}

/** The views liveLines() draws with; a caller may pass remembering equivalents of the same output. */
export interface LiveViews {
  /** jobHeaderLine(), given whole seconds of run time (it changes once a second). */
  header: typeof jobHeaderLine;
  grid: typeof gridLines;
  split: typeof splitRows;
  /**
   * curveLines() for the state's `curvesVersion`, the last argument (a caller may keep the plots
   * of an older history for a while: see curveLinesWith()).
   */
  curves: (...args: [...Parameters<typeof curveLines>, version: number]) => string[];
  steps: typeof stepLines;
}

const VIEWS: LiveViews = {
  header: jobHeaderLine,
  grid: gridLines,
  split: splitRows,
  curves: curveLinesOf,
  steps: stepLines,
};

/** curveLines() of the history as it is now, whatever the version. */
export function curveLinesOf(...args: [...Parameters<typeof curveLines>, number]): string[] {
  const [h, label, width, rows, color] = args;
  return curveLines(h, label, width, rows, color);
}

/**
 * Lines of the live region for a terminal of `width` × `height`: never more than liveRows()
 * allows, so the log above keeps its share of the screen.
 */
export function liveLines(
  s: LiveState,
  width: number,
  height: number,
  color: boolean,
  views: LiveViews = VIEWS,
): string[] {
  const runS = Math.floor((s.simMs - s.job.startMs) / 1000);
  const out: string[] = [views.header(s.job, runS, width, color)];
  const d = s.step;
  if (d) {
    const lines = views.steps(d, s, s.secPerStep ?? d.step_time_s, width, color);
    for (let i = 0; i < lines.length; i++) out.push(lines[i]);
  } else if (s.phase !== "init") {
    out.push(barLine(`Epoch ${s.epoch}/${s.epochs}`, 0, "", width, color));
    out.push(barLine(`Step 0/${s.totalSteps}`, 0, "?", width, color));
  }
  if (s.bar && s.bar.done < s.bar.total) {
    out.push(
      barLine(
        `${s.bar.label}`,
        s.bar.done / s.bar.total,
        `${s.bar.done}/${s.bar.total} ${s.bar.unit}`,
        width,
        color,
      ),
    );
  }
  const maxLines = Math.max(1, liveRows(height, s.logRowsWanted));
  const plotted = s.curves !== undefined && s.curves.used > 0;
  const grid = s.telemetry ? s.grid : null;
  const [curveN, gridN] = views.split(plotted, grid, width, maxLines - out.length);
  const label = s.scheduleLabel ?? "";
  const version = s.curvesVersion ?? 0;
  const curves = s.curves ? views.curves(s.curves, label, width, curveN, color, version) : [];
  // Every line comes cropped: bars and titles as they are made, curves and grid by their views,
  // so a caller's remembered views are not cropped again at every frame.
  const fitted = out.concat(curves).slice(0, maxLines);
  if (!s.telemetry || fitted.length >= maxLines) return fitted;
  return fitted.concat(views.grid(s.telemetry, s.grid, width, gridN, color)).slice(0, maxLines);
}

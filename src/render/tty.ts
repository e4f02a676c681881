/**
 * Live terminal mode: log lines scroll above a live region (bars and GPU grid) that is redrawn
 * at a steady frame rate, one write per frame. The log lines are written whole, and the terminal
 * wraps a long one as it wraps any output (so it stays whole in the scrollback and in a copy);
 * the live region's lines are never wider than the terminal.
 */
import type { Level, OutputEvent, StepData } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { hostName } from "../sim/names.ts";
import { ansi, type Color, paint, visibleWidth } from "./ansi.ts";
import type { Renderer } from "./renderer.ts";
import { PipeClosed, type Sink } from "./sink.ts";
import { liveLines, type LiveState, type LiveViews, splitRows, stepLines } from "./views/live.ts";
import { gridLines } from "./views/grid.ts";
import { jobHeaderFor, jobHeaderLine } from "./views/job_header.ts";
import { rememberLast } from "./memo.ts";
import { createCurveHistory, type CurveHistory, recordStep } from "./curve_history.ts";
import { createStepRate, updateStepRate } from "./step_rate.ts";
import { curveLinesWith, curvePictures } from "./views/curves.ts";

/** Terminal size in cells. */
export interface TermSize {
  columns: number;
  rows: number;
}

/** Options of the live renderer. */
export interface TtyOptions {
  color: boolean;
  /**
   * The terminal's size, asked at every frame (main answers from its last reading, taken again
   * on SIGWINCH), so the next frame after a resize fits.
   */
  size: () => TermSize;
  /**
   * Milliseconds between frames of the renderer's own timer, for runs the driver does not pace
   * (--instant); null when the paced driver's flush() at each wake-up draws the frames.
   */
  frameMs: number | null;
  /**
   * Whether log lines get a clock time and level in front: fauxtrain's own lines do; a
   * framework's lines carry their own and are shown as the job prints them (default true).
   */
  levels?: boolean;
}

/** The live renderer, which can also be told the terminal was resized or handed over. */
export interface TtyRenderer extends Renderer {
  /** Redraws at once at the new size (main calls it on SIGWINCH). */
  resize(): void;
  /** Draws a frame now if anything changed: what the frame timer does each tick. */
  frame(): void;
  /**
   * Stops drawing until resume() (Ctrl-Z: the shell is about to have the terminal) and returns
   * the bytes that hand the terminal back: colours reset, cursor shown.
   */
  suspend(): string;
  /**
   * Draws again, the whole live region anew below the cursor (after `fg` the screen holds the
   * shell's lines, so the old region cannot be erased in place), and hides the cursor again.
   */
  resume(): void;
}

/**
 * What follows the end of a frame's synchronized update so that the frame's bytes end with a
 * newline: Deno's stdout is line-buffered, and writes everything up to the last newline, then the
 * rest in a second system call. Up one row and back down leaves the cursor where it was, below the
 * live region, and changes no cell (the cursor is hidden, and a line feed one row above the bottom
 * never scrolls).
 */
export const FRAME_TAIL = ansi.up(1) + "\n";

/**
 * The bytes that turn the live region `shown` into `next`, which has as many lines, by
 * rewriting only the rows from the first changed one to the last, or "" when none changed.
 * Between telemetry ticks only the step's bars and metrics move: redrawing the whole region
 * (the grid most of it) would write, and make the terminal paint, four times what changed.
 * The cursor starts and ends at the start of the line below the region.
 */
export function changedRows(shown: readonly string[], next: readonly string[]): string {
  const n = next.length;
  let first = 0;
  while (first < n && next[first] === shown[first]) first++;
  if (first === n) return "";
  let last = n - 1;
  while (next[last] === shown[last]) last--;
  const rows = [ansi.syncStart + ansi.col0 + ansi.up(n - first)];
  for (let i = first; i <= last; i++) rows.push(ansi.clearLine + next[i] + "\n");
  rows.push(ansi.down(n - 1 - last) + ansi.syncEnd + FRAME_TAIL);
  return rows.join("");
}

/**
 * Telemetry ticks between two drawings of the curves' plots: a tick redraws their titles and
 * latest values, but the plots themselves (the costly part, and one that a few seconds of steps
 * move by a dot at most) only every this many ticks.
 */
export const CURVE_PICTURE_TICKS = 5;

/** Rows the final frame may take (title, epoch and step bars, metrics, cursor line). */
const FINAL_ROWS = 5;

/** Latest log lines whose width sets how many rows the log wants (see liveRows()). */
const RECENT_LOG_LINES = 32;
/** Whole log lines, as wrapped as the widest recent one, that the log wants in view. */
const LOG_LINES_IN_VIEW = 3;

/** What the last frame left on screen: live lines above the cursor, at what size. */
export interface Shown {
  lines: number;
  columns: number;
  rows: number;
}

/**
 * Bytes that remove the last frame's live region. The cursor waits at the start of the line
 * below the region (so an echoed ^C never wraps), so moving up `lines` reaches its top. After the
 * terminal narrowed, terminals that reflow text have re-wrapped the region onto more rows than
 * were drawn, so the visible screen is cleared instead.
 */
export function eraseShown(shown: Shown, columns: number): string {
  if (shown.lines === 0) return "";
  if (columns < shown.columns) return ansi.home + ansi.clearScreen;
  return ansi.col0 + ansi.up(shown.lines) + ansi.clearBelow;
}

const LEVEL_COLOR: Record<Level, Color> = { info: "green", warn: "yellow", error: "red" };
const LEVEL_TEXT: Record<Level, string> = { info: "INFO ", warn: "WARN ", error: "ERROR" };
const DAY_MS = 86_400_000;

/** "00" to "59" (a constant table: a log line's clock costs three lookups). */
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, "0"));

/** `HH:MM:SS` (UTC) of a simulated instant, by arithmetic rather than a Date per line. */
export function clockTime(simMs: number): string {
  const s = Math.floor((((simMs % DAY_MS) + DAY_MS) % DAY_MS) / 1000);
  const h = Math.floor(s / 3600);
  return `${h < 10 ? "0" : ""}${h}:${TWO_DIGITS[Math.floor(s / 60) % 60]}:${TWO_DIGITS[s % 60]}`;
}

/**
 * The scrolling line for an event: clock time, level and message (or the message alone when
 * `levels` is off), whole: the terminal wraps it at its width, as it wraps any program's lines.
 */
export function ttyLogLine(ev: OutputEvent, line: string, color: boolean, levels = true): string {
  if (!levels) return line;
  const level = paint(LEVEL_TEXT[ev.level], LEVEL_COLOR[ev.level], color);
  return `${paint(clockTime(ev.simMs), "gray", color)} ${level} ${line}`;
}

/**
 * Whether an event prints a scrolling line: not a step left unlogged, nor a progress bar before
 * it is done (those move the live region only), nor an event with no message.
 */
function scrolls(ev: OutputEvent): boolean {
  if (ev.type === "step" && !ev.logged) return false;
  if (ev.type === "log" && ev.bar && ev.bar.done < ev.bar.total) return false;
  return ev.msg !== "";
}

/** Creates the live renderer for one run. */
export function createTtyRenderer(sink: Sink, cfg: RunConfig, opts: TtyOptions): TtyRenderer {
  const curves = createCurveHistory();
  const rate = createStepRate();
  // Host names are asked for at every grid drawn (and their widths at every layout tried).
  const hosts: string[] = [];
  const state: LiveState = {
    job: jobHeaderFor(cfg),
    epochs: cfg.epochs,
    totalSteps: cfg.totalSteps,
    phase: "init",
    epoch: 0,
    step: null,
    bar: null,
    telemetry: null,
    grid: {
      nodes: cfg.nodes,
      gpusPerNode: cfg.gpusPerNode,
      memTotalGiB: cfg.gpu.memMiB / 1024,
      host: (n) => (hosts[n] ??= hostName(cfg.cluster, n)),
    },
    simMs: cfg.startMs,
    curves,
    scheduleLabel: `${cfg.schedule}, warm-up ${cfg.warmupSteps}`,
    curvesVersion: 0,
  };
  // Lines drawn ahead (see prepare()): an event's log lines, which fit any width, and a step's
  // lines with the width they were drawn for, which a frame takes as they are if it still holds.
  const logsAhead = new Map<OutputEvent, string[]>();
  const stepsAhead = new Map<StepData, { columns: number; lines: string[]; secPerStep: number }>();
  const takeAhead = (d: StepData, columns: number) => {
    const drawn = stepsAhead.get(d);
    return drawn && drawn.columns === columns ? drawn.lines : null;
  };
  // The grid changes only with telemetry (once a second) while frames come up to ten times.
  // The curves' titles and latest values are drawn anew with every step, as the metrics line
  // is, so the two always show the same step; their plots, which a step moves by a dot at most,
  // only every CURVE_PICTURE_TICKS ticks (and at the first step). The split between curves and
  // grid changes only with the terminal's size or the first step and tick, so it is worked out
  // again only then.
  let ticks = 0, picturesVersion = 0;
  const pictures = rememberLast(
    (h: CurveHistory, label: string, width: number, rows: number, _version: number) =>
      curvePictures(h, label, width, rows),
  );
  const views: LiveViews = {
    header: rememberLast(jobHeaderLine),
    grid: rememberLast(gridLines),
    split: rememberLast(splitRows),
    curves: rememberLast((h, label, width, rows, color, _version) => {
      const drawn = pictures(h, label, width, rows, picturesVersion);
      return curveLinesWith(drawn, h, label, width, rows, color);
    }),
    steps: (d, run, secPerStep, width, color) =>
      takeAhead(d, width) ?? stepLines(d, run, secPerStep, width, color),
  };
  const columnsNow = () => Math.max(1, Math.floor(opts.size().columns));
  const logLines = (ev: OutputEvent) => {
    const msg = ev.msg;
    const parts = msg.includes("\n") ? msg.split("\n") : [msg];
    const lines: string[] = [];
    for (let k = 0; k < parts.length; k++) {
      lines.push(ttyLogLine(ev, parts[k], opts.color, opts.levels ?? true));
    }
    return lines;
  };
  // Visible widths of the latest log lines, a ring: the widest wraps onto the most rows.
  const recentWidths = new Float64Array(RECENT_LOG_LINES);
  let recentAt = 0;
  /** Rows the log wants at `columns`: a few lines as wrapped as the widest recent one. */
  const logRowsWanted = (columns: number) => {
    let widest = 0;
    for (let i = 0; i < RECENT_LOG_LINES; i++) widest = Math.max(widest, recentWidths[i]);
    return LOG_LINES_IN_VIEW * Math.max(1, Math.ceil(widest / columns));
  };
  let pending: OutputEvent[] = [];
  let shown: Shown = { lines: 0, columns: 0, rows: 0 };
  // The live lines on screen, for a frame that only rewrites the rows that changed.
  let onScreen: string[] = [];
  let dirty = true;
  let started = false;
  let closed = false;
  let closing = false;
  let suspended = false;

  const draw = () => {
    if (closed || suspended) return;
    const columns = columnsNow();
    const rows = Math.max(2, Math.floor(opts.size().rows));
    const resized = columns !== shown.columns || rows !== shown.rows;
    if (!dirty && !resized && pending.length === 0) return;
    // Indexed loops: a frame's code runs a few times a second, never optimized, and for-of
    // or a spread there allocates an iterator result per element.
    const logs: string[] = [];
    for (let i = 0; i < pending.length; i++) {
      const lines = logsAhead.get(pending[i]) ?? logLines(pending[i]);
      logsAhead.delete(pending[i]);
      for (let k = 0; k < lines.length; k++) {
        logs.push(lines[k]);
        recentWidths[recentAt++ % RECENT_LOG_LINES] = visibleWidth(lines[k]);
      }
    }
    pending = [];
    state.logRowsWanted = logRowsWanted(columns);
    // At most liveRows() live lines, the log keeping its share; the cursor's own line below them
    // completes the screen.
    // The last frame keeps only the title and bars, so the run's ending stays on screen above it.
    const height = closing ? Math.min(rows, FINAL_ROWS) : rows;
    const live = liveLines(state, columns, height, opts.color, views);
    dirty = false;
    if (logs.length === 0 && !resized && live.length === shown.lines) {
      const changed = changedRows(onScreen, live);
      onScreen = live;
      if (changed === "") return;
      sink.write(changed);
      return sink.flush();
    }
    const head = (started ? "" : ansi.hideCursor) + ansi.syncStart + eraseShown(shown, columns);
    started = true;
    // One string made at once (joined, not grown line by line), the frame's head and tail
    // included, so it is flat when encoded: no second copy of the frame to flatten it.
    const lines = logs.concat(live);
    lines[0] = head + lines[0];
    lines.push(ansi.syncEnd + FRAME_TAIL);
    sink.write(lines.join("\n"));
    shown = { lines: live.length, columns, rows };
    onScreen = live;
    sink.flush();
  };

  const timer = opts.frameMs === null ? undefined : setInterval(() => {
    try {
      draw();
    } catch {
      // The reader is gone; the driver's next flush reports it and ends the run.
      clearInterval(timer);
    }
  }, opts.frameMs);

  return {
    wantsGpuEvents: false,
    // Frames are written in the background: a terminal that takes nothing (paused with Ctrl-S)
    // holds the run back here instead of blocking the thread that must hear signals.
    drained: (maxBytes) => sink.drained(maxBytes),
    backlog: () => sink.backlog,
    // Read ahead, a step's lines and an event's log lines are drawn with the rest of the batch.
    prepare(ev) {
      if (ev.type === "step") {
        // Steps come here in order, so the rate is folded in here, once, for a step read ahead.
        const columns = columnsNow();
        const secPerStep = updateStepRate(rate, ev.data.step_time_s);
        const lines = stepLines(ev.data, state, secPerStep, columns, opts.color);
        stepsAhead.set(ev.data, { columns, lines, secPerStep });
      }
      if (scrolls(ev)) logsAhead.set(ev, logLines(ev));
    },
    event(ev) {
      if (ev.type === "step") {
        const d = ev.data;
        if (state.step) stepsAhead.delete(state.step);
        state.step = d;
        state.secPerStep = stepsAhead.get(d)?.secPerStep ?? updateStepRate(rate, d.step_time_s);
        const plotted = curves.used;
        recordStep(curves, d.step, d.loss, d.lr, d.skipped === true);
        // The first plotted step draws the plots; every step, the titles.
        if (plotted === 0 && curves.used > 0) picturesVersion++;
        state.curvesVersion!++;
        dirty = true;
        if (!ev.logged) return;
      }
      if (ev.type === "log" && ev.bar) {
        state.bar = ev.bar;
        dirty = true;
        if (ev.bar.done < ev.bar.total) return;
      }
      if (ev.msg !== "") pending.push(ev);
      // Bound memory when the screen cannot keep up (e.g. --instant in a terminal).
      if (pending.length > 2000) draw();
    },
    phase(ev) {
      state.phase = ev.phase;
      state.epoch = ev.epoch;
      if (ev.phase === "train") state.bar = null;
      dirty = true;
    },
    telemetry(frame) {
      state.telemetry = frame;
      state.curvesVersion!++;
      if (ticks++ % CURVE_PICTURE_TICKS === 0) picturesVersion++;
      dirty = true;
    },
    clock(simMs) {
      // The title's run time moves once a second.
      const start = cfg.startMs;
      if (Math.floor((simMs - start) / 1000) !== Math.floor((state.simMs - start) / 1000)) {
        dirty = true;
      }
      state.simMs = simMs;
    },
    // Frames come at a steady rate: from the paced driver's flushes, one per wake-up, or from
    // the timer; a flush always reports a closed terminal.
    flush() {
      if (sink.closed) throw new PipeClosed();
      if (timer === undefined) draw();
    },
    frame: draw,
    resize() {
      // Terminals re-wrap what is on screen when they resize, in either direction, and in a
      // storm of resizes a frame may land on a size it was not drawn for: where the old region
      // sits is no longer known, so the next frame clears the screen (see eraseShown).
      if (shown.lines > 0) shown = { ...shown, columns: Infinity };
      dirty = true;
      try {
        draw();
      } catch {
        // As in the frame timer: the driver hears of a closed terminal at its next flush.
      }
    },
    suspend() {
      suspended = true;
      return ansi.syncEnd + ansi.reset + ansi.showCursor;
    },
    resume() {
      suspended = false;
      shown = { lines: 0, columns: 0, rows: 0 };
      onScreen = [];
      started = false;
      dirty = true;
      try {
        draw();
      } catch {
        // As in the frame timer: the driver hears of a closed terminal at its next flush.
      }
    },
    close() {
      clearInterval(timer);
      // The ending is drawn even if a Ctrl-Z came just before it.
      suspended = false;
      closing = true;
      dirty = true;
      try {
        draw();
      } finally {
        // A late resize or flush must not draw another frame over the ending.
        closed = true;
        sink.write(ansi.reset + ansi.showCursor);
        sink.flush();
      }
    },
  };
}

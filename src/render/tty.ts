/**
 * Live terminal mode: log lines scroll above a live region (bars and GPU grid) that is redrawn
 * at a steady frame rate, one write per frame, and never wider than the terminal.
 */
import type { OutputEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { hostName } from "../sim/names.ts";
import { ansi, type Color, crop, paint } from "./ansi.ts";
import type { Renderer } from "./renderer.ts";
import type { Sink } from "./sink.ts";
import { liveLines, type LiveState } from "./views/live.ts";
import { createCurveHistory, recordStep } from "./curve_history.ts";

/** Terminal size in cells. */
export interface TermSize {
  columns: number;
  rows: number;
}

/** Options of the live renderer. */
export interface TtyOptions {
  color: boolean;
  size: () => TermSize;
  /** Milliseconds between frames. */
  frameMs: number;
}

const LEVEL_COLOR: Record<string, Color> = { info: "green", warn: "yellow", error: "red" };

/** The scrolling line for an event: clock time, level and message. */
export function ttyLogLine(ev: OutputEvent, line: string, width: number, color: boolean): string {
  const time = new Date(ev.simMs).toISOString().slice(11, 19);
  const level = paint(ev.level.toUpperCase().padEnd(5), LEVEL_COLOR[ev.level], color);
  return crop(`${paint(time, "gray", color)} ${level} ${line}`, width);
}

/** Creates the live renderer for one run. */
export function createTtyRenderer(sink: Sink, cfg: RunConfig, opts: TtyOptions): Renderer {
  const curves = createCurveHistory();
  const state: LiveState = {
    title: `fauxtrain · ${cfg.runId} · ${cfg.worldSize} × ${cfg.gpu.name} · ${cfg.nodes} node` +
      `${cfg.nodes > 1 ? "s" : ""} · ${cfg.precision} · seed ${cfg.seed}`,
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
      host: (n) => hostName(cfg.cluster, n),
    },
    simMs: cfg.startMs,
    curves,
    scheduleLabel: `${cfg.schedule}, warm-up ${cfg.warmupSteps}`,
  };
  let pending: OutputEvent[] = [];
  let liveHeight = 0;
  let dirty = true;
  let started = false;

  const draw = () => {
    if (!dirty && pending.length === 0) return;
    const { columns, rows } = opts.size();
    const width = Math.max(20, columns);
    let out = started ? "" : ansi.hideCursor;
    started = true;
    out += ansi.syncStart;
    if (liveHeight > 0) out += ansi.col0 + ansi.up(liveHeight - 1) + ansi.clearBelow;
    for (const ev of pending) {
      for (const line of ev.msg.split("\n")) out += ttyLogLine(ev, line, width, opts.color) + "\n";
    }
    pending = [];
    const live = liveLines(state, width, Math.max(3, rows), opts.color);
    out += live.join("\n") + ansi.syncEnd;
    liveHeight = live.length;
    dirty = false;
    sink.write(out);
    sink.flush();
  };

  const timer = setInterval(() => {
    try {
      draw();
    } catch {
      clearInterval(timer);
    }
  }, opts.frameMs);

  return {
    wantsGpuEvents: false,
    event(ev) {
      if (ev.type === "step") {
        state.step = ev.data;
        if (!ev.data.skipped) recordStep(curves, ev.data.step, ev.data.loss, ev.data.lr);
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
      dirty = true;
    },
    clock(simMs) {
      state.simMs = simMs;
    },
    flush: draw,
    close() {
      clearInterval(timer);
      dirty = true;
      draw();
      sink.write("\n" + ansi.showCursor);
      sink.flush();
    },
  };
}

/** What every output mode implements. */
import type { OutputEvent, PhaseEvent } from "../sim/events.ts";
import type { Frame } from "../cluster/pool.ts";

/** Lines that take their place in the output later (see Renderer.placeholder). */
export interface LinesLater {
  /** A line-producing event with its `msg` filled in. */
  event(ev: OutputEvent): void;
  /** No more lines: they go out in their place. */
  close(): void;
}

/**
 * Wall ms between frames of the live view (10 fps). A paced run's driver wakes at most this
 * often and flushes once per wake-up, so each frame costs one wake-up.
 */
export const FRAME_WALL_MS = 100;

/** Consumes the simulation's events and the merged telemetry. */
export interface Renderer {
  /** Whether the driver should build per-node `gpu` events for reported ticks. */
  readonly wantsGpuEvents: boolean;
  /** A line-producing event with its `msg` filled in. */
  event(ev: OutputEvent): void;
  /**
   * An event read ahead of its time, its `msg` filled in (a paced run is read a few seconds
   * at a time): the renderer may do its work for the event now, together with the rest of the
   * batch, rather than at the event's own frame. The event still comes to event() when due.
   */
  prepare?(ev: OutputEvent): void;
  /** A phase change (drives the live region; ignored by line modes). */
  phase(ev: PhaseEvent): void;
  /** Fresh telemetry of the whole cluster. */
  telemetry(frame: Frame): void;
  /** The simulated clock moved (the live view redraws from it). */
  clock(simMs: number): void;
  /** Writes whatever is pending (the live view: a frame, if anything changed). */
  flush(): void;
  /** Ends output: restore the terminal, flush the rest. */
  close(): void;
  /**
   * Line renderers only: keeps the current place in the output for lines that come later, so
   * the run can go on while a telemetry frame is on its way; later events go after the place.
   */
  placeholder?(): LinesLater;
  /**
   * Line renderers writing in the background: resolves once at most `maxBytes` of flushed
   * output remain unwritten; rejects with PipeClosed once the reader has gone.
   */
  drained?(maxBytes: number): Promise<void>;
  /**
   * Line renderers only: output bytes held in memory, not written yet (behind kept places, or
   * waiting for a slow reader).
   */
  backlog?(): number;
}

/** ISO-8601 UTC with milliseconds for a simulated instant. */
export function isoTime(simMs: number): string {
  return new Date(simMs).toISOString();
}

const DAY_MS = 86_400_000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/**
 * An isoTime that formats the date part once per simulated day and the time of day by
 * arithmetic: the same strings, at a fraction of the cost of a Date per line.
 */
export function createIsoClock(): (simMs: number) => string {
  let day = NaN;
  let datePart = "";
  return (simMs) => {
    const ms = Math.trunc(simMs);
    const d = Math.floor(ms / DAY_MS);
    if (d !== day) {
      const iso = isoTime(d * DAY_MS);
      // Years past 9999 get a signed six-digit year: leave those to Date.
      if (iso.length !== 24) return isoTime(simMs);
      day = d;
      datePart = iso.slice(0, 11);
    }
    const t = ms - d * DAY_MS;
    return `${datePart}${pad(Math.floor(t / 3_600_000), 2)}:${
      pad(Math.floor(t / 60_000) % 60, 2)
    }:${pad(Math.floor(t / 1000) % 60, 2)}.${pad(t % 1000, 3)}Z`;
  };
}

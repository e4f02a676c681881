/** JSON-lines mode: one object per line with ts, level, type, msg and the event's fields. */
import type { OutputEvent } from "../sim/events.ts";
import { createIsoClock, isoTime, type Renderer } from "./renderer.ts";
import type { Sink } from "./sink.ts";

/** Rounds non-integers to 7 significant digits so lines stay short and stable. */
function compactNumber(value: number): number {
  return Number.isInteger(value) || !Number.isFinite(value) ? value : Number(value.toPrecision(7));
}

/**
 * A copy of plain JSON data with every number compacted. Walking the data once and handing
 * JSON.stringify a value without a replacer callback is about twice as fast per line.
 */
function compact(value: unknown): unknown {
  if (typeof value === "number") return compactNumber(value);
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(compact);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = compact((value as Record<string, unknown>)[key]);
  return out;
}

/** The JSON object of an event, as one line (without newline). */
export function jsonLine(ev: OutputEvent, iso: (simMs: number) => string = isoTime): string {
  const head = { ts: iso(ev.simMs), level: ev.level, type: ev.type, msg: ev.msg };
  if (ev.type === "log") {
    return JSON.stringify(compact({ ...head, key: ev.key, ...(ev.bar ? { bar: ev.bar } : {}) }));
  }
  return JSON.stringify(compact({ ...head, ...ev.data }));
}

/** Renders events as JSON lines. */
export function createJsonlRenderer(sink: Sink): Renderer {
  const iso = createIsoClock();
  return {
    wantsGpuEvents: true,
    event(ev) {
      if (ev.type === "step" && !ev.logged) return;
      sink.write(jsonLine(ev, iso) + "\n");
    },
    phase() {},
    telemetry() {},
    clock() {},
    flush: () => sink.flush(),
    close: () => sink.flush(),
  };
}

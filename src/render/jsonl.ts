/** JSON-lines mode: one object per line with ts, level, type, msg and the event's fields. */
import type { OutputEvent } from "../sim/events.ts";
import { isoTime, type Renderer } from "./renderer.ts";
import type { Sink } from "./sink.ts";

/** Rounds non-integers to 7 significant digits so lines stay short and stable. */
function compact(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isInteger(value) && Number.isFinite(value)
    ? Number(value.toPrecision(7))
    : value;
}

/** The JSON object of an event, as one line (without newline). */
export function jsonLine(ev: OutputEvent): string {
  const head = { ts: isoTime(ev.simMs), level: ev.level, type: ev.type, msg: ev.msg };
  if (ev.type === "log") {
    return JSON.stringify({ ...head, key: ev.key, ...(ev.bar ? { bar: ev.bar } : {}) }, compact);
  }
  return JSON.stringify({ ...head, ...ev.data }, compact);
}

/** Renders events as JSON lines. */
export function createJsonlRenderer(sink: Sink): Renderer {
  return {
    wantsGpuEvents: true,
    event(ev) {
      if (ev.type === "step" && !ev.logged) return;
      sink.write(jsonLine(ev) + "\n");
    },
    phase() {},
    telemetry() {},
    clock() {},
    flush: () => sink.flush(),
    close: () => sink.flush(),
  };
}

/** Plain-text mode: one line per event, ISO timestamp and level first, no escape bytes. */
import type { OutputEvent } from "../sim/events.ts";
import { isoTime, type Renderer } from "./renderer.ts";
import type { Sink } from "./sink.ts";

/** The text line for an event (without newline). */
export function textLine(ev: OutputEvent, timestamps: boolean): string {
  if (!timestamps) return ev.msg;
  return `${isoTime(ev.simMs)} ${ev.level.toUpperCase().padEnd(5)} ${ev.msg}`;
}

/** Renders events as plain log lines. */
export function createTextRenderer(sink: Sink, timestamps: boolean): Renderer {
  return {
    wantsGpuEvents: true,
    event(ev) {
      if (ev.type === "step" && !ev.logged) return;
      sink.write(textLine(ev, timestamps) + "\n");
    },
    phase() {},
    telemetry() {},
    clock() {},
    flush: () => sink.flush(),
    close: () => sink.flush(),
  };
}

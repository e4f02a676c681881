/** Plain-text mode: one line per event, ISO timestamp and level first, no escape bytes. */
import type { OutputEvent } from "../sim/events.ts";
import { createIsoClock, isoTime, type Renderer } from "./renderer.ts";
import type { LineSink, Sink } from "./sink.ts";

/** The text lines for an event, each ending in a newline ("" when its message is blank). */
export function textLines(
  ev: OutputEvent,
  timestamps: boolean,
  iso: (simMs: number) => string = isoTime,
): string {
  if (ev.msg === "") return "";
  const prefix = timestamps ? `${iso(ev.simMs)} ${ev.level.toUpperCase().padEnd(5)} ` : "";
  if (!ev.msg.includes("\n")) return prefix + ev.msg + "\n";
  return ev.msg.split("\n").map((line) => prefix + line + "\n").join("");
}

/** Renders events as plain log lines. */
export function createTextRenderer(sink: Sink, timestamps: boolean): Renderer {
  const iso = createIsoClock();
  const line = (out: LineSink, ev: OutputEvent) => {
    if (ev.type === "step" && !ev.logged) return;
    out.write(textLines(ev, timestamps, iso));
  };
  return {
    wantsGpuEvents: true,
    event: (ev) => line(sink, ev),
    phase() {},
    telemetry() {},
    clock() {},
    flush: () => sink.flush(),
    close: () => sink.flush(),
    drained: (maxBytes) => sink.drained(maxBytes),
    backlog: () => sink.backlog,
    placeholder() {
      const kept = sink.placeholder();
      return { event: (ev) => line(kept, ev), close: () => kept.fill() };
    },
  };
}

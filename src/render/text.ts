/**
 * Plain-text mode: one line per line the job prints, no escape bytes. A framework's lines carry
 * their own times and levels, so they are written as the job wrote them (as a Slurm output file
 * holds them); fauxtrain's own lines get an ISO time and a level; a log collector's timestamp can
 * be asked for on top.
 */
import type { OutputEvent } from "../sim/events.ts";
import { createIsoClock, isoTime, type Renderer } from "./renderer.ts";
import type { LineSink, Sink } from "./sink.ts";

/**
 * What goes before each line: fauxtrain's own time and level (`level`), the time a log collector
 * received it (`stamp`, as `kubectl logs --timestamps` writes it), or nothing.
 */
export type LinePrefix = "level" | "stamp" | "none";

/** The text lines for an event, each ending in a newline ("" when its message is blank). */
export function textLines(
  ev: OutputEvent,
  prefixKind: LinePrefix,
  iso: (simMs: number) => string = isoTime,
): string {
  if (ev.msg === "") return "";
  const prefix = prefixKind === "level"
    ? `${iso(ev.simMs)} ${ev.level.toUpperCase().padEnd(5)} `
    : prefixKind === "stamp"
    ? `${iso(ev.simMs)} `
    : "";
  if (!ev.msg.includes("\n")) return prefix + ev.msg + "\n";
  return ev.msg.split("\n").map((line) => prefix + line + "\n").join("");
}

/** Renders events as plain log lines. */
export function createTextRenderer(sink: Sink, prefix: LinePrefix): Renderer {
  const iso = createIsoClock();
  const line = (out: LineSink, ev: OutputEvent) => {
    if (ev.type === "step" && !ev.logged) return;
    out.write(textLines(ev, prefix, iso));
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

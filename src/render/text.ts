/** Plain-text mode: one line per event, ISO timestamp and level first, no escape bytes. */
import type { OutputEvent } from "../sim/events.ts";
import { isoTime, type Renderer } from "./renderer.ts";
import type { Sink } from "./sink.ts";
import { type Color, paint } from "./ansi.ts";

const LEVEL_COLOR: Record<string, Color> = { info: "green", warn: "yellow", error: "red" };

/**
 * The text lines for an event, each ending in a newline ("" when its message is blank). With
 * `color` (FORCE_COLOR in a pipe) the timestamp and level are painted; messages never are.
 */
export function textLines(ev: OutputEvent, timestamps: boolean, color = false): string {
  if (ev.msg === "") return "";
  const level = paint(ev.level.toUpperCase().padEnd(5), LEVEL_COLOR[ev.level], color);
  const prefix = timestamps ? `${paint(isoTime(ev.simMs), "gray", color)} ${level} ` : "";
  if (!ev.msg.includes("\n")) return prefix + ev.msg + "\n";
  return ev.msg.split("\n").map((line) => prefix + line + "\n").join("");
}

/** Renders events as plain log lines. */
export function createTextRenderer(sink: Sink, timestamps: boolean, color = false): Renderer {
  return {
    wantsGpuEvents: true,
    event(ev) {
      if (ev.type === "step" && !ev.logged) return;
      sink.write(textLines(ev, timestamps, color));
    },
    phase() {},
    telemetry() {},
    clock() {},
    flush: () => sink.flush(),
    close: () => sink.flush(),
  };
}

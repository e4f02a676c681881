/** JSON-lines mode: one object per line with ts, level, type, msg and the event's fields. */
import type { OutputEvent } from "../sim/events.ts";
import type { Renderer } from "./renderer.ts";
import { createIsoWriter, type IsoWriter } from "./iso_writer.ts";
import type { LineSink, Sink } from "./sink.ts";
import { ByteBuffer } from "./byte_buffer.ts";
import { writeStepMembers } from "./step_json.ts";
import { createJsonWriter, type JsonWriter, writeJsonString } from "./json_bytes.ts";

const ASCII = new TextEncoder();
const OPEN_TS = ASCII.encode(`{"ts":"`);
const OPEN_LEVEL = ASCII.encode(`","level":"`);
const OPEN_TYPE = ASCII.encode(`","type":"`);
const OPEN_MSG = ASCII.encode(`","msg":`);

/** Writes what every line starts with: `{"ts":…,"level":…,"type":…,"msg":…`. */
function writeHead(b: ByteBuffer, ev: OutputEvent, ts: IsoWriter): void {
  b.copy(OPEN_TS);
  ts(b, ev.simMs);
  // Levels and types are plain identifiers: nothing in them needs escaping.
  b.copy(OPEN_LEVEL);
  b.plain(ev.level);
  b.copy(OPEN_TYPE);
  b.plain(ev.type);
  b.copy(OPEN_MSG);
  writeJsonString(b, ev.msg);
}

/**
 * Writes the JSON object of an event and a newline: ts, level, type and msg, then a log line's
 * key and bar or the event's data fields in their order. Non-integers are rounded to 7
 * significant digits so lines stay short and stable.
 */
export function writeJsonLine(b: ByteBuffer, ev: OutputEvent, ts: IsoWriter, w: JsonWriter): void {
  writeHead(b, ev, ts);
  if (ev.type === "step") {
    writeStepMembers(b, ev.data, w);
  } else if (ev.type !== "log") {
    w.members(b, ev.data);
  } else {
    b.text(`,"key":`);
    writeJsonString(b, ev.key);
    if (ev.bar) {
      b.text(`,"bar":`);
      w.value(b, ev.bar);
    }
  }
  b.text("}\n");
}

/** The JSON object of an event, as one line (without newline). */
export function jsonLine(ev: OutputEvent): string {
  const b = new ByteBuffer();
  writeJsonLine(b, ev, createIsoWriter(), createJsonWriter());
  return new TextDecoder().decode(b.view()).slice(0, -1);
}

/** Renders events as JSON lines, written straight into the sink's buffer. */
export function createJsonlRenderer(sink: Sink): Renderer {
  const ts = createIsoWriter();
  const w = createJsonWriter();
  const line = (out: LineSink, ev: OutputEvent) => {
    if (ev.type === "step" && !ev.logged) return;
    writeJsonLine(out.buffer, ev, ts, w);
    out.wrote();
  };
  return {
    wantsGpuEvents: true,
    event: (ev) => line(sink, ev),
    phase() {},
    telemetry() {},
    clock() {},
    flush: () => sink.flush(),
    close: () => sink.flush(),
    placeholder() {
      const kept = sink.placeholder();
      return { event: (ev) => line(kept, ev), close: () => kept.fill() };
    },
  };
}

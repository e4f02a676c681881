/** JSON-lines mode: one object per line with ts, level, type, msg and the event's fields. */
import type { OutputEvent } from "../sim/events.ts";
import type { Renderer } from "./renderer.ts";
import { createIsoWriter, type IsoWriter } from "./iso_writer.ts";
import type { LineSink, Sink } from "./sink.ts";
import { ByteBuffer, pack, type Packed, putPacked } from "./byte_buffer.ts";
import { createStepWriter, type StepWriter } from "./step_json.ts";
import { writeGpuMembers } from "./gpu_json.ts";
import { createJsonWriter, type JsonWriter, writeJsonString } from "./json_bytes.ts";

/** What a line starts with, before its timestamp. */
const OPEN_TS = `{"ts":"`;

/**
 * `","level":…,"type":…,"msg":` by type and level, encoded once each (one copy a line instead
 * of five small writes), with `""` after it when the message is empty. Levels and types are
 * plain identifiers: nothing in them needs escaping.
 */
function createHeadParts(): (ev: OutputEvent) => Packed {
  const encoder = new TextEncoder();
  const byType = new Map<string, Map<string, [Packed, Packed]>>();
  return (ev) => {
    let levels = byType.get(ev.type);
    if (!levels) byType.set(ev.type, levels = new Map());
    let parts = levels.get(ev.level);
    if (!parts) {
      const head = `","level":"${ev.level}","type":"${ev.type}","msg":`;
      parts = [pack(encoder.encode(head)), pack(encoder.encode(`${head}""`))];
      levels.set(ev.level, parts);
    }
    return parts[ev.msg === "" ? 1 : 0];
  };
}

/** Prepared pieces of a line: the timestamp writer (with `{"ts":"`), keys and head parts. */
export interface JsonLineParts {
  ts: IsoWriter;
  json: JsonWriter;
  head: (ev: OutputEvent) => Packed;
  step: StepWriter;
}

/** A line writer's prepared pieces (one per renderer, no shared state). */
export function createJsonLineParts(): JsonLineParts {
  return {
    ts: createIsoWriter(OPEN_TS),
    json: createJsonWriter(),
    head: createHeadParts(),
    step: createStepWriter(),
  };
}

/** Room for the timestamp with its opening (a six-digit year at most) and a word to spare. */
const TS_ROOM = OPEN_TS.length + 27 + 4;

/** Writes what every line starts with: `{"ts":…,"level":…,"type":…,"msg":…`. */
function writeHead(b: ByteBuffer, ev: OutputEvent, parts: JsonLineParts): void {
  const head = parts.head(ev);
  b.reserve(TS_ROOM + head.length + 4);
  b.length = putPacked(b.data, parts.ts(b.bytes, b.data, b.length, ev.simMs), head);
  if (ev.msg !== "") writeJsonString(b, ev.msg);
}

/**
 * Writes the JSON object of an event and a newline: ts, level, type and msg, then a log line's
 * key and bar or the event's data fields in their order. Non-integers are rounded to 7
 * significant digits so lines stay short and stable.
 */
export function writeJsonLine(b: ByteBuffer, ev: OutputEvent, parts: JsonLineParts): void {
  const w = parts.json;
  writeHead(b, ev, parts);
  if (ev.type === "step") {
    parts.step(b, ev.data, w);
  } else if (ev.type === "gpu") {
    writeGpuMembers(b, ev.data);
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
  b.reserve(2);
  b.bytes[b.length++] = 0x7d; // }
  b.bytes[b.length++] = 0x0a; // newline
}

/** The JSON object of an event, as one line (without newline). */
export function jsonLine(ev: OutputEvent): string {
  const b = new ByteBuffer();
  writeJsonLine(b, ev, createJsonLineParts());
  return new TextDecoder().decode(b.view()).slice(0, -1);
}

/**
 * Renders events as JSON lines, written straight into the sink's buffer. `parts` may be shared
 * by the runs of a --loop (they hold only caches of bytes that do not depend on the run): made
 * afresh for every run, they and the caches they fill lived as long as the run, long enough to
 * outlive the young generation's collections, run after run.
 */
export function createJsonlRenderer(sink: Sink, parts = createJsonLineParts()): Renderer {
  const line = (out: LineSink, ev: OutputEvent) => {
    if (ev.type === "step" && !ev.logged) return;
    writeJsonLine(out.buffer, ev, parts);
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
    drained: (maxBytes) => sink.drained(maxBytes),
    backlog: () => sink.backlog,
    placeholder() {
      const kept = sink.placeholder();
      return { event: (ev) => line(kept, ev), close: () => kept.fill() };
    },
  };
}

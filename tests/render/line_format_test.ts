/** Exact strings of the line formatters and the fast paths that must match the plain ones. */
import assert from "node:assert/strict";
import { jsonLine } from "../../src/render/jsonl.ts";
import { textLines } from "../../src/render/text.ts";
import { createIsoClock, isoTime } from "../../src/render/renderer.ts";
import { createIsoWriter } from "../../src/render/iso_writer.ts";
import type { OutputEvent } from "../../src/sim/events.ts";

const AT = Date.UTC(2026, 10, 24, 9, 30, 5, 250);

Deno.test("createIsoClock() and createIsoWriter() format like Date.toISOString at day edges, fractions and odd years", () => {
  const iso = createIsoClock();
  const day = 86_400_000;
  const instants = [
    AT,
    AT + 0.9,
    Date.UTC(2026, 11, 31, 23, 59, 59, 999),
    Date.UTC(2027, 0, 1),
    Date.UTC(2028, 1, 29, 12),
    0,
    -1,
    -0.5,
    -day - 1,
    Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    Date.UTC(10000, 0, 1),
    Date.UTC(-1, 0, 1, 3),
  ];
  for (const t of instants) assert.equal(iso(t), isoTime(t), `at ${t}`);
  const written = (write: ReturnType<typeof createIsoWriter>, t: number) => {
    const out = new Uint8Array(40);
    return new TextDecoder().decode(out.subarray(0, write(out, new DataView(out.buffer), 0, t)));
  };
  const write = createIsoWriter();
  for (const t of [...instants, AT]) assert.equal(written(write, t), isoTime(t), `written at ${t}`);
  const prefixed = createIsoWriter("ts=");
  for (const t of [AT, Date.UTC(10000, 0, 1)]) {
    assert.equal(written(prefixed, t), "ts=" + isoTime(t), `prefixed at ${t}`);
  }
  // Going back to a day seen before must not reuse the later day's date.
  assert.equal(iso(AT), "2026-11-24T09:30:05.250Z");
});

Deno.test("jsonLine() rounds non-integers to 7 significant digits, nested ones too", () => {
  const ev: OutputEvent = {
    type: "gpu",
    simMs: AT,
    level: "info",
    msg: "gpu n1",
    data: {
      node: 3,
      host: "n1",
      gpus: [{
        rank: 24,
        util_pct: 97.123456789,
        temp_c: 61,
        mem_used_gib: 1 / 3,
        mem_total_gib: 80,
        power_w: 612.3456789,
      }],
    },
  };
  assert.equal(
    jsonLine(ev),
    '{"ts":"2026-11-24T09:30:05.250Z","level":"info","type":"gpu","msg":"gpu n1","node":3,' +
      '"host":"n1","gpus":[{"rank":24,"util_pct":97.12346,"temp_c":61,"mem_used_gib":0.3333333,' +
      '"mem_total_gib":80,"power_w":612.3457}]}',
  );
});

Deno.test("jsonLine() writes a log line's key and bar, and no bar when there is none", () => {
  const bar = {
    id: "ckpt" as const,
    label: "Writing shards",
    done: 1,
    total: 3,
    unit: "shard",
    elapsed_s: 2.5,
  };
  const log: OutputEvent = {
    type: "log",
    simMs: AT,
    level: "warn",
    msg: "m",
    key: "ckpt.progress",
    data: {},
    bar,
  };
  assert.equal(
    jsonLine(log),
    '{"ts":"2026-11-24T09:30:05.250Z","level":"warn","type":"log","msg":"m",' +
      '"key":"ckpt.progress","bar":{"id":"ckpt","label":"Writing shards","done":1,"total":3,' +
      '"unit":"shard","elapsed_s":2.5}}',
  );
  const plain: OutputEvent = {
    type: "log",
    simMs: AT,
    level: "info",
    msg: "m",
    key: "seed",
    data: {},
  };
  assert.equal(
    jsonLine(plain),
    '{"ts":"2026-11-24T09:30:05.250Z","level":"info","type":"log","msg":"m","key":"seed"}',
  );
});

Deno.test("textLines() prefixes every line of a message and skips blank messages", () => {
  const ev: OutputEvent = {
    type: "log",
    simMs: AT,
    level: "warn",
    msg: "a\nb",
    key: "seed",
    data: {},
  };
  assert.equal(
    textLines(ev, "level", createIsoClock()),
    "2026-11-24T09:30:05.250Z WARN  a\n2026-11-24T09:30:05.250Z WARN  b\n",
  );
  assert.equal(textLines(ev, "none"), "a\nb\n");
  assert.equal(
    textLines(ev, "stamp", createIsoClock()),
    "2026-11-24T09:30:05.250Z a\n2026-11-24T09:30:05.250Z b\n",
  );
  assert.equal(textLines({ ...ev, msg: "" }, "level"), "");
});

/**
 * Reading a paced run ahead: batches of AHEAD_WALL_MS (a few seconds) of wall time, each event prepared once
 * and in order as it is read; and a paced run's lines, styled as they are read ahead, are the
 * --instant run's lines byte for byte.
 */
import assert from "node:assert/strict";
import { AHEAD_WALL_MS, MAX_BATCH, ReadAhead } from "../../src/driver/read_ahead.ts";
import { drive } from "../../src/driver/driver.ts";
import { instantOptions } from "./instant_options.ts";
import { Sink } from "../../src/render/sink.ts";
import { createTextRenderer } from "../../src/render/text.ts";
import { createJsonlRenderer } from "../../src/render/jsonl.ts";
import { loadStyle } from "../../src/style/load.ts";
import type { StyleName } from "../../src/style/names.ts";
import type { SimEvent } from "../../src/sim/events.ts";

/** `count` phase events, one every `everyMs` simulated ms, with a count of return() calls. */
function events(count: number, everyMs: number) {
  const made: SimEvent[] = Array.from({ length: count }, (_, i) => ({
    type: "phase",
    simMs: i * everyMs,
    phase: "train",
    epoch: 1,
  }));
  let at = 0, returned = 0;
  const inner: Iterator<SimEvent> = {
    next: () => at < made.length ? { done: false, value: made[at++] } : { done: true, value: 0 },
    return: () => (returned++, { done: true, value: 0 }),
  };
  return { made, inner, read: () => at, returned: () => returned };
}

Deno.test("ReadAhead reads AHEAD_WALL_MS ahead, preparing each event once, in order", () => {
  // Due at their simulated ms on the wall clock, one every 100 ms.
  const src = events(AHEAD_WALL_MS / 25, 100);
  const prepared: SimEvent[] = [];
  let now = 0;
  const ahead = new ReadAhead(src.inner, (ev) => prepared.push(ev), (ms) => ms, () => now);
  const got: SimEvent[] = [];
  got.push(ahead.next().value as SimEvent);
  // The first batch: what is due at once, and the first event past it, which ends the batch.
  assert.equal(src.read(), 2);
  assert.equal(ahead.buffered, 1);
  got.push(ahead.next().value as SimEvent);
  got.push(ahead.next().value as SimEvent);
  // Then due by AHEAD_WALL_MS from now, and the first event past it.
  const second = AHEAD_WALL_MS / 100 + 2;
  assert.equal(src.read(), second);
  assert.deepEqual(prepared, src.made.slice(0, second));
  assert.equal(ahead.buffered, second - 3);
  // Handing on the batch reads nothing more.
  while (ahead.buffered > 0) got.push(ahead.next().value as SimEvent);
  assert.equal(src.read(), second);
  // The next batch starts when it is asked for, AHEAD_WALL_MS past the clock then.
  now = AHEAD_WALL_MS + 500;
  got.push(ahead.next().value as SimEvent);
  assert.equal(src.read(), (now + AHEAD_WALL_MS) / 100 + 2);
  for (let r = ahead.next(); !r.done; r = ahead.next()) got.push(r.value);
  assert.deepEqual(got, src.made, "every event, in order, once");
  assert.deepEqual(prepared, src.made, "each prepared once, in order");
});

Deno.test("ReadAhead reads at most MAX_BATCH events when everything is due", () => {
  const src = events(MAX_BATCH * 2 + 5, 1);
  let prepared = 0;
  const ahead = new ReadAhead(src.inner, () => prepared++, () => 0, () => 1_000);
  ahead.next();
  assert.equal(src.read(), MAX_BATCH);
  assert.equal(prepared, MAX_BATCH);
  assert.equal(ahead.buffered, MAX_BATCH - 1);
});

Deno.test("ReadAhead's return() ends the run it reads and drops what it read", () => {
  const src = events(30, 100);
  const ahead = new ReadAhead(src.inner, () => {}, (ms) => ms, () => 0);
  ahead.next();
  assert.ok(ahead.buffered > 0);
  ahead.return();
  assert.equal(src.returned(), 1);
  assert.equal(ahead.buffered, 0);
  assert.equal(ahead.next().done, true);
});

/** A run's output as text, --instant or at a pace that never waits (it is read ahead). */
async function output(format: "text" | "jsonl", style: StyleName, instant: boolean) {
  const bytes: number[] = [];
  const sink = new Sink({ writeSync: (p) => (bytes.push(...p), p.length) });
  const options = instantOptions({
    seed: 21,
    nodes: 2,
    workers: 1,
    live: false,
    makeRenderer: () =>
      format === "jsonl" ? createJsonlRenderer(sink) : createTextRenderer(sink, "level"),
  });
  options.choices.logInterval = 10;
  options.style = () => loadStyle(style);
  // Simulated hours in a few wall ms: the run is paced and read ahead, but never sleeps.
  if (!instant) Object.assign(options, { instant: false, speed: 1e9 });
  await drive(options);
  return new TextDecoder().decode(new Uint8Array(bytes));
}

for (
  const [format, style] of [["text", "hf"], ["text", "nanogpt"], ["jsonl", "megatron"]] as const
) {
  Deno.test(`a paced ${format} run in ${style} style writes the --instant run's bytes`, async () => {
    const instant = await output(format, style, true);
    const paced = await output(format, style, false);
    assert.ok(instant.split("\n").length > 200, "a whole run");
    assert.equal(paced, instant);
  });
}

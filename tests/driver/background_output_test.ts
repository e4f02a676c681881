/**
 * Line output written in the background: the driver's run gives the same bytes as a blocking
 * sink, however slowly the writes complete, and waits for the last of them before it returns.
 */
import assert from "node:assert/strict";
import { findDataset } from "../../src/sim/catalog.ts";
import { drive, MAX_BACKLOG_BYTES } from "../../src/driver/driver.ts";
import { instantOptions } from "./instant_options.ts";
import { type ByteWriter, Sink } from "../../src/render/sink.ts";
import { createJsonlRenderer } from "../../src/render/jsonl.ts";
import { createTextRenderer } from "../../src/render/text.ts";

/** A writer that keeps what it is given; async writes take at most `most` bytes and a turn. */
function collector(most: number): ByteWriter & { text: () => string } {
  const chunks: Uint8Array[] = [];
  return {
    text: () => new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c]))),
    writeSync(p) {
      chunks.push(p.slice());
      return p.length;
    },
    async write(p) {
      await new Promise((r) => setTimeout(r, 0));
      const n = Math.min(most, p.length);
      chunks.push(p.slice(0, n));
      return n;
    },
  };
}

async function run(
  format: "jsonl" | "text",
  sink: Sink,
  watch: (sink: Sink) => void = () => {},
): Promise<void> {
  const options = instantOptions({
    seed: 5,
    nodes: 2,
    workers: 1,
    // A pre-training run of thousands of steps, every one logged (8 GPUs a node: seed 5 draws
    // GB200, whose trays hold 4 by default).
    more: { dataset: findDataset("openwebtext"), gpusPerNode: 8 },
    live: false,
    makeRenderer: () => {
      const r = format === "jsonl" ? createJsonlRenderer(sink) : createTextRenderer(sink, "level");
      return { ...r, event: (ev) => (r.event(ev), watch(sink)) };
    },
  });
  await drive(options);
}

for (const format of ["jsonl", "text"] as const) {
  Deno.test(`a ${format} run written in the background has every byte a blocking run has`, async () => {
    const blocking = collector(Infinity);
    await run(format, new Sink(blocking));
    const background = collector(50_000);
    await run(format, new Sink(background, { background: true }));
    const want = blocking.text();
    assert.ok(want.split("\n").length > 1000, "a dense run");
    assert.equal(background.text().length, want.length);
    assert.equal(background.text(), want);
  });
}

Deno.test("a run ahead of a slow reader holds at most about MAX_BACKLOG_BYTES in memory", async () => {
  const slow = collector(4_000);
  let most = 0;
  await run("jsonl", new Sink(slow, { background: true }), (sink) => {
    most = Math.max(most, sink.backlog);
  });
  const total = slow.text().length;
  assert.ok(total > 3 * MAX_BACKLOG_BYTES, `a run of ${total} bytes`);
  // Checked every few hundred lines: a few hundred lines over the bound at most.
  assert.ok(most <= MAX_BACKLOG_BYTES + (256 << 10), `held ${most} bytes`);
  assert.ok(most > MAX_BACKLOG_BYTES / 2, `held ${most} bytes: the reader was slow`);
});

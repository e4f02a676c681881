/**
 * The largest clusters in line output: a tick's thousands of `gpu` lines are written straight
 * out as the reader takes them, not gathered in memory first, so what the run holds stays
 * near MAX_BACKLOG_BYTES however large the cluster.
 */
import assert from "node:assert/strict";
import { drive, MAX_BACKLOG_BYTES } from "../../src/driver/driver.ts";
import { instantOptions } from "./instant_options.ts";
import { Sink } from "../../src/render/sink.ts";
import { createJsonlRenderer } from "../../src/render/jsonl.ts";
import type { OutputEvent } from "../../src/sim/events.ts";

Deno.test("a run of 1,536 nodes before a slow reader holds at most about MAX_BACKLOG_BYTES", async () => {
  let total = 0, gpuLines = 0;
  const slow = {
    writeSync: (p: Uint8Array) => (total += p.length, p.length),
    async write(p: Uint8Array) {
      await new Promise((r) => setTimeout(r, 0));
      const n = Math.min(256_000, p.length);
      total += n;
      return n;
    },
  };
  const sink = new Sink(slow, { background: true });
  let most = 0;
  const options = instantOptions({
    seed: 5,
    nodes: 1536,
    workers: 2,
    live: false,
    makeRenderer: () => {
      const r = createJsonlRenderer(sink);
      const seen = (ev: OutputEvent) => {
        if (ev.type === "gpu") gpuLines++;
        most = Math.max(most, sink.backlog);
      };
      return {
        ...r,
        event: (ev) => (r.event(ev), seen(ev)),
        placeholder() {
          const place = r.placeholder!();
          return { event: (ev) => (place.event(ev), seen(ev)), close: () => place.close() };
        },
      };
    },
  });
  await drive({ ...options, choices: { ...options.choices, logInterval: undefined } });
  assert.ok(gpuLines >= 2 * 1536, `${gpuLines} gpu lines: two ticks' reports at least`);
  // A tick's report alone is about 1.8 MB of JSON lines.
  assert.ok(total > 4 * MAX_BACKLOG_BYTES, `a run of ${total} bytes`);
  // Checked at every line: a few hundred lines over the bound at most.
  assert.ok(most <= MAX_BACKLOG_BYTES + (512 << 10), `held ${most} bytes`);
});

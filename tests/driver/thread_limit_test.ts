/**
 * A system that refuses threads: the run goes on with the telemetry threads it got and prints
 * the same bytes, or, with none at all, fails with the pool's one clear error.
 */
import assert from "node:assert/strict";
import { drive } from "../../src/driver/driver.ts";
import { PoolFailure, type StartWorker } from "../../src/cluster/pool.ts";
import { instantOptions } from "./instant_options.ts";
import { Sink } from "../../src/render/sink.ts";
import { createJsonlRenderer } from "../../src/render/jsonl.ts";

/** Starts real workers until `limit` have been started, then throws as Deno does (EAGAIN). */
function threadLimit(limit: number): { start: StartWorker; refused: () => number } {
  let started = 0, refused = 0;
  const start: StartWorker = (url) => {
    if (started >= limit) {
      refused++;
      throw new Deno.errors.WouldBlock("Resource temporarily unavailable (os error 11)");
    }
    started++;
    return new Worker(url, { type: "module" });
  };
  return { start, refused: () => refused };
}

/** The JSON lines of an --instant run of 6 nodes on up to 4 workers, started by `start`. */
async function run(start?: StartWorker): Promise<string> {
  let text = "";
  const sink = new Sink({ writeSync: (p) => (text += new TextDecoder().decode(p), p.length) });
  const options = instantOptions({
    seed: 11,
    nodes: 6,
    workers: 4,
    live: false,
    makeRenderer: () => createJsonlRenderer(sink),
  });
  await drive({ ...options, startWorker: start });
  return text;
}

Deno.test("a run refused threads goes on with fewer workers and writes the same bytes", async () => {
  const want = await run();
  assert.match(want, /"type":"gpu"/);
  for (const limit of [1, 2, 3]) {
    const threads = threadLimit(limit);
    assert.equal(await run(threads.start), want, `${limit} threads`);
    assert.ok(threads.refused() > 0, `${limit} threads: the system refused one`);
  }
});

Deno.test("a run refused every thread fails with one PoolFailure that says why", async () => {
  const failure = await run(threadLimit(0).start).then(() => null, (e) => e);
  assert.ok(failure instanceof PoolFailure, `expected PoolFailure, got ${failure}`);
  assert.match(failure.message, /^the system refused to start a thread .*os error 11/);
});

/**
 * The stall watch on a pool of stand-ins: a block is declared dead only after it stays silent
 * while this thread runs, not because the whole process was stopped for a while.
 */
import assert from "node:assert/strict";
import { StallWatch } from "../../src/cluster/stall.ts";

const STALL_MS = 500;

/**
 * One open tick, answered when `answer()` is called; records the watch's verdicts. As in the
 * pool, a verdict restarts the tick's clock (for the replacement).
 */
function standIn() {
  const startMs = performance.now();
  let answered = false, sinceMs = startMs;
  const failed: Array<{ seq: number; atMs: number }> = [];
  const watch = new StallWatch(STALL_MS, () => performance.now(), {
    oldest: () => answered ? undefined : { seq: 1, sinceMs },
    collect() {},
    fail(seq) {
      sinceMs = performance.now();
      failed.push({ seq, atMs: sinceMs - startMs });
    },
  });
  watch.watch();
  return { watch, failed, answer: () => (answered = true) };
}

/** Blocks this thread for `ms`, as a stopped process does: no callback runs meanwhile. */
function stopThisThread(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* nothing runs */ }
}

const turn = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("a block silent for stallMs and then confirmMs more is declared dead, once", async () => {
  const { watch, failed } = standIn();
  try {
    while (failed.length === 0) await turn(20);
    await turn(100);
    assert.deepEqual(failed.map((f) => f.seq), [1]);
    assert.ok(failed[0].atMs >= STALL_MS + watch.confirmMs, `failed at ${failed[0].atMs} ms`);
  } finally {
    watch.close();
  }
});

Deno.test("after a stop of the whole process the blocks get time to answer before any is declared dead", async () => {
  const { watch, failed, answer } = standIn();
  try {
    // The process stops past the tick's deadline; its workers answer a moment after it resumes,
    // which the watch, woken first, has not seen yet. (A turn first: the watch's timed wait
    // starts counting once the event loop has seen it.)
    await turn(10);
    stopThisThread(STALL_MS * 2);
    setTimeout(answer, watch.confirmMs / 2);
    await turn(STALL_MS + watch.confirmMs * 2);
    assert.deepEqual(failed, []);
  } finally {
    watch.close();
  }
});

Deno.test("a stop during the second look gives the suspects their time again", async () => {
  const { watch, failed, answer } = standIn();
  try {
    // Suspected at STALL_MS; the process stops across the judgement and resumes before the
    // workers have run.
    await turn(STALL_MS + watch.confirmMs / 4);
    stopThisThread(watch.confirmMs * 2);
    setTimeout(answer, 5);
    await turn(watch.confirmMs * 3);
    assert.deepEqual(failed, []);
  } finally {
    watch.close();
  }
});

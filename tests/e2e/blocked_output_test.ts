/**
 * A stop request ends the program promptly even while nothing reads its output (`| sleep 40`):
 * SIGTERM, SIGINT, SIGQUIT, SIGHUP and --exit-after, each with its exit status and no stack
 * trace. Pending output may be dropped.
 */
import assert from "node:assert/strict";
import { MainChild } from "./main_child.ts";

/** Longest a stop may take once asked for (the program gives a stuck write 250 ms). */
const PROMPT_MS = 3000;

/** A run whose output fills the pipe at once: --instant jsonl. */
const FLOOD = ["--instant", "--seed", "5", "--format", "jsonl", "--nodes", "64"];

/** Waits until the child's pipe is full and it is held back: the first bytes, then a pause. */
async function untilBlocked(child: MainChild): Promise<void> {
  await child.waitFor((t) => t.length > 0, "the first bytes");
  // Reading stops here; the run fills the pipe (64 KiB) within a moment and waits on it.
  await new Promise((r) => setTimeout(r, 1500));
}

/** The exit status and how long the child took to end after `stop()`. */
async function timeStop(child: MainChild, stop: () => void) {
  const start = performance.now();
  stop();
  const status = await child.process.status;
  const tookMs = performance.now() - start;
  const r = await child.finish();
  return { code: status.code, tookMs, stderr: r.stderr };
}

for (
  const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130], ["SIGQUIT", 131], [
    "SIGHUP",
    129,
  ]] as const
) {
  Deno.test(`${signal} ends a run whose reader takes nothing at once, with status ${code}`, async () => {
    const child = new MainChild(FLOOD);
    await untilBlocked(child);
    const r = await timeStop(child, () => child.process.kill(signal));
    assert.equal(r.code, code, r.stderr);
    assert.ok(r.tookMs < PROMPT_MS, `ended ${Math.round(r.tookMs)} ms after ${signal}`);
    assert.equal(r.stderr, "", "nothing on stderr");
  });
}

Deno.test("--exit-after ends a run whose reader takes nothing on time, with status 0", async () => {
  const child = new MainChild([...FLOOD, "--loop", "--exit-after", "3s"]);
  const start = performance.now();
  await untilBlocked(child);
  const status = await child.process.status;
  const tookMs = performance.now() - start;
  const r = await child.finish();
  assert.equal(status.code, 0, r.stderr);
  assert.ok(tookMs < 3000 + PROMPT_MS, `ended after ${Math.round(tookMs)} ms`);
  assert.ok(tookMs > 2500, `not before its time (${Math.round(tookMs)} ms)`);
  assert.equal(r.stderr, "");
});

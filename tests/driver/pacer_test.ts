/** The pacer maps simulated instants to wall-clock waits, on a grid of wake-ups when asked. */
import assert from "node:assert/strict";
import { Pacer, StopSignal } from "../../src/driver/pacer.ts";

/** A wall clock the test moves by hand. */
function fakeClock(startMs: number) {
  const clock = { ms: startMs, now: () => clock.ms };
  return clock;
}

Deno.test("Pacer.delayUntil() waits exactly until an event is due without a quantum", () => {
  const clock = fakeClock(1000);
  const pacer = new Pacer(10, 0, clock.now);
  assert.equal(pacer.delayUntil(0), 0);
  assert.equal(pacer.delayUntil(370), 37);
  clock.ms = 1030;
  assert.equal(pacer.delayUntil(370), 7);
  clock.ms = 1040;
  assert.equal(pacer.delayUntil(370), 0);
});

Deno.test("Pacer.delayUntil() with a quantum wakes on the grid, so nearby events share a wake-up", () => {
  const clock = fakeClock(1000);
  const pacer = new Pacer(10, 0, clock.now, 100);
  // Due 37 and 99 ms from the start: both wait for the wake-up at 100 ms.
  assert.equal(pacer.delayUntil(370), 100);
  assert.equal(pacer.delayUntil(990), 100);
  // Exactly on the grid: no extra wait.
  assert.equal(pacer.delayUntil(1000), 100);
  assert.equal(pacer.delayUntil(1010), 200);
  clock.ms = 1100;
  assert.equal(pacer.delayUntil(990), 0);
  assert.equal(pacer.delayUntil(1010), 100);
  // A late wake-up still aims at the grid, not 100 ms after itself.
  clock.ms = 1137;
  assert.equal(pacer.delayUntil(1500), 63);
});

Deno.test("Pacer keeps the grid across a speed change and never waits when instant", () => {
  const clock = fakeClock(0);
  const pacer = new Pacer(1, 0, clock.now, 100);
  clock.ms = 250;
  pacer.setSpeed(100, 250);
  // 250 + 1000 / 100 = 260 ms is due; the grid started at 0, so the wake-up is at 300.
  assert.equal(pacer.delayUntil(1250), 50);
  clock.ms = 300;
  pacer.setSpeed(Infinity, 1250);
  assert.equal(pacer.delayUntil(1e12), 0);
  assert.ok(pacer.instant);
});

Deno.test("StopSignal.sleep() lasts its time and a stop cuts it short", async () => {
  const stop = new StopSignal();
  let t0 = performance.now();
  await stop.sleep(60);
  const slept = performance.now() - t0;
  assert.ok(slept >= 55 && slept < 1000, `slept ${slept} ms for 60`);
  t0 = performance.now();
  const long = stop.sleep(10_000);
  queueMicrotask(() => stop.stop("sigint"));
  await long;
  assert.ok(performance.now() - t0 < 1000, "the stop woke the sleeper");
  assert.equal(stop.reason, "sigint");
  t0 = performance.now();
  await stop.sleep(10_000);
  assert.ok(performance.now() - t0 < 50, "no sleep once stopped");
  stop.release();
});

Deno.test("a sleep keeps the event loop alive until release()", async () => {
  const pacer = new URL("../../src/driver/pacer.ts", import.meta.url).href;
  const script = (release: boolean) =>
    `import { StopSignal } from "${pacer}";
const stop = new StopSignal();
await stop.sleep(50);
console.log("woke");
${release ? "stop.release();" : ""}`;
  const run = async (release: boolean) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", script(release)],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const timer = setTimeout(() => child.kill(), 1500);
    const out = await child.output();
    clearTimeout(timer);
    return { text: new TextDecoder().decode(out.stdout).trim(), ended: out.success };
  };
  assert.deepEqual(await run(true), { text: "woke", ended: true });
  // Without release() the keep-alive holds the process until it is killed.
  assert.deepEqual(await run(false), { text: "woke", ended: false });
});

Deno.test("StopSignal.onStop() hears the first stop once, and a late listener hears it at once", () => {
  const stop = new StopSignal();
  const heard: string[] = [];
  stop.onStop(() => heard.push(`early ${stop.reason}`));
  assert.equal(heard.length, 0);
  stop.stop("sigterm");
  stop.stop("sigint");
  stop.onStop(() => heard.push(`late ${stop.reason}`));
  assert.deepEqual(heard, ["early sigterm", "late sigterm"]);
});

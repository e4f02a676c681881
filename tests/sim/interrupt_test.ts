/** The ending a signal gives a run: emergency checkpoint, shutdown line and summary. */
import assert from "node:assert/strict";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { type Simulation, startRun } from "../../src/sim/simulate.ts";
import type { SimEvent } from "../../src/sim/events.ts";
import type { RunConfig } from "../../src/sim/run_config.ts";
import { applyStyle, NATIVE_STYLE, openStyle } from "../../src/style/style.ts";

const START_MS = Date.parse("2026-11-24T09:00:00Z");
const CADENCE = { initMs: 5_000, trainMs: 120_000 };

function run(seed = 5) {
  const cfg = drawRunConfig({ seed, startMs: START_MS, nodes: 4 });
  return { cfg, sim: startRun(cfg, CADENCE) };
}

/** The events of an ending, their lines in fauxtrain's own wording. */
function native(cfg: RunConfig, events: Iterable<SimEvent>): SimEvent[] {
  const writer = openStyle(NATIVE_STYLE, cfg);
  return [...events].map((
    e,
  ) => (e.type === "tick" || e.type === "phase" ? e : applyStyle(writer, e)));
}

/**
 * Reads (and so handles) events until `stop` picks one; then reads one more, which the
 * consumer never handles, as when a signal arrives between two events. Returns the picked one.
 */
function readUntil(sim: Simulation, stop: (ev: SimEvent) => boolean): SimEvent {
  for (;;) {
    const { value, done } = sim.events.next();
    assert.ok(!done, "the cut point comes before the run ends");
    if (stop(value)) {
      sim.events.next();
      return value;
    }
  }
}

Deno.test("interrupt() mid-training saves an emergency checkpoint of the last step, then sums up", () => {
  const { cfg, sim } = run();
  const cut = readUntil(sim, (ev) => ev.type === "step" && ev.data.step === 37);
  const ending = native(cfg, sim.interrupt("SIGINT"));
  const lines = ending.filter((e) => e.type !== "phase" && e.type !== "tick");
  assert.equal(lines[0].type, "log");
  assert.equal(lines[0].level, "warn");
  assert.match(lines[0].msg, /SIGINT.*step 37\//);
  const ckpt = ending.find((e) => e.type === "ckpt");
  assert.ok(ckpt && ckpt.type === "ckpt");
  assert.equal(ckpt.data.step, 37);
  assert.equal(ckpt.data.emergency, true);
  assert.match(ckpt.data.path, /checkpoint-37$/);
  const summary = ending.find((e) => e.type === "summary");
  assert.ok(summary && summary.type === "summary");
  assert.equal(summary.data.signal, "SIGINT");
  assert.equal(summary.data.steps, 37);
  assert.equal(summary.data.tokens, 37 * cfg.tokensPerStep);
  assert.equal(summary.data.checkpoints, 1);
  assert.equal(
    cut.type === "step" && summary.data.final_loss,
    cut.type === "step" && cut.data.loss,
  );
  assert.match(summary.msg, /^Training interrupted by SIGINT after .*: 37 of /);
  assert.equal(ending.at(-1)!.type, "phase", "the live view hears the run is done");
  assert.ok(ending.every((e) => e.type !== "tick"), "no telemetry on the way out");
  let prevMs = cut.simMs;
  for (const e of ending) {
    assert.ok(e.simMs >= prevMs, "the ending's clock never goes back");
    prevMs = e.simMs;
  }
});

Deno.test("interrupt() counts only events the consumer finished handling", () => {
  const { sim } = run();
  // Everything before step 12 is handled; step 12 is read, but the consumer stops there.
  let ev = sim.events.next().value;
  while (!(ev.type === "step" && ev.data.step === 12)) ev = sim.events.next().value;
  const summary = [...sim.interrupt("SIGTERM")].find((e) => e.type === "summary");
  assert.equal(summary?.type === "summary" && summary.data.steps, 11);
  assert.equal(summary?.type === "summary" && summary.data.signal, "SIGTERM");
});

Deno.test("interrupt() right after a checkpoint saves no second copy", () => {
  const { cfg, sim } = run();
  const ckpt = readUntil(sim, (ev) => ev.type === "ckpt");
  const ending = native(cfg, sim.interrupt("SIGINT"));
  assert.equal(ending.filter((e) => e.type === "ckpt").length, 0);
  assert.match(ending[0].type === "log" ? ending[0].msg : "", /checkpoint-\d+ is on disk/);
  const summary = ending.find((e) => e.type === "summary");
  assert.equal(summary?.type === "summary" && summary.data.checkpoints, 1);
  assert.equal(
    summary?.type === "summary" && summary.data.steps,
    ckpt.type === "ckpt" && ckpt.data.step,
  );
});

Deno.test("interrupt() during start-up has nothing to save and reports no loss", () => {
  const { cfg, sim } = run();
  readUntil(sim, (ev) => ev.type === "run");
  const ending = native(cfg, sim.interrupt("SIGINT"));
  assert.equal(ending.filter((e) => e.type === "ckpt").length, 0);
  assert.match(ending[0].type === "log" ? ending[0].msg : "", /before the first step/);
  const summary = ending.find((e) => e.type === "summary");
  assert.ok(summary?.type === "summary");
  assert.equal(summary.data.steps, 0);
  assert.ok(Number.isNaN(summary.data.final_loss), "no loss before the first step (null in JSON)");
});

Deno.test("interrupt() after the summary adds nothing", () => {
  const { sim } = run();
  for (const _ of sim.events) { /* the whole run */ }
  assert.deepEqual([...sim.interrupt("SIGINT")], []);
});

Deno.test("interrupt() tells the same ending for the same cut", () => {
  const endings = [1, 2].map(() => {
    const { sim } = run(9);
    readUntil(sim, (ev) => ev.type === "step" && ev.data.step === 120);
    return JSON.stringify([...sim.interrupt("SIGINT")]);
  });
  assert.equal(endings[0], endings[1]);
});

Deno.test("interrupt() at Slurm's time limit saves nothing and says why the run stopped", () => {
  const { cfg, sim } = run();
  readUntil(sim, (ev) => ev.type === "step" && ev.data.step === 37);
  const ending = native(cfg, sim.interrupt("SIGTERM", "time_limit"));
  assert.equal(ending.filter((e) => e.type === "ckpt").length, 0, "no time to save");
  const first = ending.find((e) => e.type === "log");
  assert.ok(first?.type === "log" && first.key === "interrupt");
  assert.deepEqual(
    { signal: first.data.signal, cause: first.data.cause, step: first.data.step },
    { signal: "SIGTERM", cause: "time_limit", step: 37 },
  );
  const summary = ending.find((e) => e.type === "summary");
  assert.ok(summary?.type === "summary");
  assert.equal(summary.data.cause, "time_limit");
  assert.equal(summary.data.checkpoints, 0);
  assert.match(summary.msg, /^Training stopped by the time limit after /);
});

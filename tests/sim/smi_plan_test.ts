/**
 * When a run's GPUs are read in line modes and when its job script prints nvidia-smi: a round
 * interval from the job's start, a reading before any process holds a GPU, and the script's
 * own looks at launch and during training, drawn per seed.
 */
import assert from "node:assert/strict";
import { cadenceFor, paceFor } from "../../src/driver/driver.ts";
import type { SimEvent, TickEvent } from "../../src/sim/events.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { simulateRun } from "../../src/sim/simulate.ts";
import { reportIntervalS, smiPlan } from "../../src/sim/smi_plan.ts";

const START_MS = Date.UTC(2026, 10, 24, 9);

function lineModeTicks(seed: number, nodes = 1) {
  const cfg = drawRunConfig({ seed, startMs: START_MS, nodes });
  const cadence = cadenceFor(cfg, paceFor(true, null), false);
  const events: SimEvent[] = [...simulateRun(cfg, cadence)];
  const ticks = events.filter((e): e is TickEvent => e.type === "tick" && e.report);
  return { cfg, cadence, events, ticks };
}

Deno.test("line modes read the GPUs from the job's start at a monitor's round interval", () => {
  for (const seed of [1, 2, 3]) {
    const { cfg, cadence, ticks } = lineModeTicks(seed);
    const everyS = reportIntervalS(cfg);
    assert.ok([30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800].includes(everyS));
    // Each period is the interval plus the sample's own millisecond, as `-l N` loops drift.
    assert.deepEqual(cadence, { initMs: everyS * 1000 + 1, trainMs: everyS * 1000 + 1 });
    ticks.forEach((t, k) => assert.equal(t.simMs, START_MS + k * (everyS * 1000 + 1), `${k}`));
    assert.ok(ticks.length >= 3);
  }
});

Deno.test("the first reading comes before the launch, while no process holds a GPU", () => {
  for (const seed of [4, 5]) {
    const { events } = lineModeTicks(seed);
    const first = events.findIndex((e) => e.type === "tick");
    const launch = events.findIndex((e) => e.type === "log" && e.key === "launch");
    assert.ok(first < launch);
    const tick = events[first] as TickEvent;
    assert.equal(tick.simMs, START_MS);
    assert.equal(tick.tick.activity, "empty");
    const init = events.findIndex((e) => e.type === "log" && e.key === "dist.init");
    const before = events.slice(first, init).filter((e): e is TickEvent => e.type === "tick");
    assert.ok(before.every((t) => t.tick.activity === "empty"));
  }
});

Deno.test("job scripts print nvidia-smi at launch in some runs, during training in some", () => {
  let atLaunch = 0, later = 0, none = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const { cfg, ticks } = lineModeTicks(seed);
    const plan = smiPlan(cfg);
    const tagged = ticks.filter((t) => t.snapshot);
    assert.equal(ticks[0].snapshot, plan.atLaunch ? "start" : undefined);
    const runs = tagged.filter((t) => t.snapshot === "run");
    // Each look falls on the first reading at or after its instant.
    const due = plan.laterS.map((s) => START_MS + s * 1000);
    for (const t of runs) {
      const k = ticks.indexOf(t);
      assert.ok(due.some((d) => t.simMs >= d && ticks[k - 1].simMs < d), `seed ${seed}`);
    }
    assert.ok(runs.length <= plan.laterS.length);
    atLaunch += plan.atLaunch ? 1 : 0;
    later += runs.length > 0 ? 1 : 0;
    none += tagged.length === 0 ? 1 : 0;
  }
  assert.ok(atLaunch > 10 && atLaunch < 35, `${atLaunch} at launch`);
  assert.ok(later > 5 && later < 30, `${later} during the run`);
  assert.ok(none > 2, `${none} never`);
});

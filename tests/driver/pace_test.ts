/**
 * The default pace is real time, and a run drawn without sizing flags ends 2 to 5 minutes after
 * its launch; what the watcher sees then agrees with the clock on the wall. The pacer is driven
 * with a fake clock: each event goes out when it is due, no sooner.
 */
import assert from "node:assert/strict";
import { paceFor } from "../../src/driver/driver.ts";
import { Pacer } from "../../src/driver/pacer.ts";
import { FRAME_WALL_MS } from "../../src/render/renderer.ts";
import { findGpu, findModel } from "../../src/sim/catalog.ts";
import type { SimEvent } from "../../src/sim/events.ts";
import type { RunChoices, RunConfig } from "../../src/sim/run_config.ts";
import { drawRun } from "../../src/sim/scenario.ts";
import { simulateRun } from "../../src/sim/simulate.ts";
import { pacingHook } from "../../src/style/pacing.ts";
import { autoStyleName } from "../../src/style/names.ts";

const START_MS = Date.UTC(2026, 11, 7, 14);
const NO_TICKS = { initMs: 1e15, trainMs: 1e15 };

/** A run drawn as main draws it (`--style auto`'s pacing), with the user's `more` choices. */
function draw(seed: number, more: Partial<RunChoices> = {}): RunConfig {
  return drawRun({ seed, startMs: START_MS, pacing: pacingHook("auto", autoStyleName), ...more });
}

/** Every event, each with the fake wall-clock ms (since the start) at which it goes out. */
function paced(cfg: RunConfig): { ev: SimEvent; wallMs: number }[] {
  const pace = paceFor(false, null);
  let now = 0;
  const pacer = new Pacer(pace.init, cfg.startMs, () => now, FRAME_WALL_MS);
  const out: { ev: SimEvent; wallMs: number }[] = [];
  for (const ev of simulateRun(cfg, NO_TICKS)) {
    if (ev.type === "phase") pacer.setSpeed(ev.phase === "init" ? pace.init : pace.train, ev.simMs);
    now += pacer.delayUntil(ev.simMs);
    out.push({ ev, wallMs: now });
  }
  return out;
}

Deno.test("the default pace is real time; --speed fast-forwards; --instant never waits", () => {
  assert.deepEqual(paceFor(false, null), { init: 1, train: 1 });
  assert.deepEqual(paceFor(false, 50), { init: 50, train: 50 });
  assert.deepEqual(paceFor(true, null), { init: Infinity, train: Infinity });
});

Deno.test("a run drawn without sizing flags takes 120–300 s of wall time, over 40 seeds", () => {
  const kinds = new Set<string>();
  for (let seed = 1; seed <= 40; seed++) {
    const cfg = draw(seed);
    const events = paced(cfg);
    const wallS = events.at(-1)!.wallMs / 1000;
    kinds.add(cfg.scenario!);
    assert.ok(
      wallS >= 120 && wallS <= 300,
      `seed ${seed} (${cfg.scenario}, ${cfg.model.id}): ${wallS.toFixed(0)} s`,
    );
  }
  assert.equal(kinds.size, 4, `scenarios seen: ${[...kinds].join(", ")}`);
});

Deno.test("fixed GPUs and node counts still fit a few minutes", () => {
  const fixed: Partial<RunChoices>[] = [
    { nodes: 1 },
    { nodes: 64 },
    { nodes: 1024 },
    { gpu: findGpu("a100-40gb") },
    { gpu: findGpu("b200"), nodes: 2 },
    { nodes: 1, gpusPerNode: 1 },
  ];
  for (const more of fixed) {
    for (let seed = 1; seed <= 6; seed++) {
      const cfg = draw(seed, more);
      const wallS = paced(cfg).at(-1)!.wallMs / 1000;
      assert.ok(
        wallS >= 120 && wallS <= 300,
        `${JSON.stringify(more)} seed ${seed} (${cfg.scenario}): ${wallS.toFixed(0)} s`,
      );
      if (more.nodes) assert.equal(cfg.nodes, more.nodes);
    }
  }
});

Deno.test("across seeds the default shows start-up, training, validation, checkpoints, export", () => {
  const seen = { val: 0, ckpt: 0, export: 0, summary: 0 };
  const runs = 20;
  for (let seed = 1; seed <= runs; seed++) {
    const types = new Set(paced(draw(seed)).map((e) => e.ev.type));
    assert.ok(types.has("step"), `seed ${seed} trains`);
    for (const k of Object.keys(seen) as (keyof typeof seen)[]) if (types.has(k)) seen[k]++;
  }
  assert.equal(seen.summary, runs, "every run sums up");
  assert.ok(seen.val >= runs / 2, `validation in ${seen.val} runs`);
  // A few minutes' slice of a long nanoGPT or llm.c run reaches none of its saves.
  assert.ok(seen.ckpt >= runs * 0.6, `checkpoints in ${seen.ckpt} runs`);
  // nanoGPT, llm.c and the speedrun scripts export nothing after training.
  assert.ok(seen.export >= runs * 0.4, `export in ${seen.export} runs`);
});

Deno.test("a paced run's newest timestamp stays within 2 s of the wall clock", () => {
  for (const seed of [1, 3, 11, 14]) {
    const cfg = draw(seed);
    for (const { ev, wallMs } of paced(cfg)) {
      const stampMs = ev.simMs - cfg.startMs;
      assert.ok(stampMs <= wallMs + 1, `seed ${seed}: a line from the future at ${wallMs} ms`);
      assert.ok(wallMs - stampMs <= 2000, `seed ${seed}: ${wallMs - stampMs} ms late`);
    }
  }
});

Deno.test("the step counter's rate over any 30 s of training is within 10% of the steps' own times", () => {
  let checked = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const cfg = draw(seed);
    const events = paced(cfg);
    // Pauses (validation, checkpoints) and the first step's warm-up are not steady training.
    const pauses: [number, number][] = [];
    let pauseFrom: number | null = null;
    const steps: { wallMs: number; stepS: number }[] = [];
    for (const { ev, wallMs } of events) {
      if (ev.type === "phase") {
        if (ev.phase === "val" || ev.phase === "ckpt") pauseFrom = wallMs;
        else if (pauseFrom !== null) (pauses.push([pauseFrom, wallMs]), pauseFrom = null);
      }
      if (ev.type === "step") {
        if (pauseFrom !== null) (pauses.push([pauseFrom, wallMs]), pauseFrom = null);
        steps.push({ wallMs, stepS: ev.data.step_time_s });
      }
    }
    let windows = 0;
    for (let i = 2; i < steps.length; i++) {
      const end = steps[i].wallMs, start = end - 30_000;
      if (start < steps[1].wallMs) continue;
      if (pauses.some(([a, b]) => a < end && b > start)) continue;
      // The rate between the first step that ends inside the window and its last one.
      const first = steps.findIndex((s) => s.wallMs > start);
      const actual = (i - first) / ((end - steps[first].wallMs) / 1000);
      // What the lines claim: the steps' own durations (a stalled step shows its stall).
      const claimed = steps.slice(first + 1, i + 1).reduce((a, s) => a + s.stepS, 0);
      const shown = (i - first) / claimed;
      assert.ok(
        Math.abs(actual - shown) <= 0.1 * shown,
        `seed ${seed}: ${actual.toFixed(3)} steps/s against ${shown.toFixed(3)} shown`,
      );
      windows++;
    }
    if (windows > 0) checked++;
  }
  assert.ok(checked >= 8, `only ${checked} runs had 30 s of steady training`);
});

Deno.test("every validation and checkpoint lasts at least 2 s of wall time", () => {
  for (let seed = 1; seed <= 20; seed++) {
    let from: number | null = null;
    for (const { ev, wallMs } of paced(draw(seed))) {
      if (ev.type === "log" && (ev.key === "val.start" || ev.key === "ckpt.start")) from = wallMs;
      if ((ev.type === "val" || ev.type === "ckpt") && from !== null) {
        assert.ok(wallMs - from >= 2000, `seed ${seed}: ${ev.type} in ${wallMs - from} ms`);
        from = null;
      }
    }
  }
});

Deno.test("a run the user sizes lasts as long as it would: --model llama-3-70b --nodes 64", () => {
  const cfg = draw(5, { model: findModel("llama-3-70b"), nodes: 64 });
  assert.equal(cfg.scenario, null);
  let lastMs = cfg.startMs;
  for (const ev of simulateRun(cfg, NO_TICKS)) lastMs = ev.simMs;
  const hours = (lastMs - cfg.startMs) / 3600e3;
  assert.ok(hours > 2, `${hours.toFixed(1)} hours of training at real time`);
});

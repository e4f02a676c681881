/** fp16's dynamic loss scale under fixed seeds: the start-up burst, hysteresis and growth. */
import assert from "node:assert/strict";
import { findGpu } from "../../src/sim/catalog.ts";
import type { StepData } from "../../src/sim/events.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { simulateRun } from "../../src/sim/simulate.ts";
import { LOSS_SCALE_INITIAL, LOSS_SCALE_WINDOW } from "../../src/sim/phases/train_state.ts";

const START = Date.parse("2026-11-24T09:00:00Z");

/** Every step of a V100 run (V100s train in fp16). */
function fp16Steps(seed: number): StepData[] {
  const cfg = drawRunConfig({ seed, startMs: START, gpu: findGpu("v100"), chaos: "off" });
  assert.equal(cfg.precision, "fp16");
  const steps: StepData[] = [];
  for (const ev of simulateRun(cfg, { initMs: 1e15, trainMs: 1e15 })) {
    if (ev.type === "step") steps.push(ev.data);
  }
  return steps;
}

for (const seed of [3, 8]) {
  Deno.test(`seed ${seed}: fp16 starts at 2^32, spends its hysteresis, then halves per skip`, () => {
    const steps = fp16Steps(seed);
    const burst = steps.findIndex((s) => !s.skipped);
    assert.ok(burst >= 15 && burst <= 21, `burst of ${burst} skipped steps`);
    assert.equal(
      steps[0].loss_scale,
      LOSS_SCALE_INITIAL,
      "the first overflow only uses hysteresis",
    );
    for (let i = 1; i < burst; i++) {
      assert.equal(steps[i].loss_scale, LOSS_SCALE_INITIAL / 2 ** i, `step ${i + 1}`);
      assert.equal(steps[i].lr, 0);
    }
    // Settled: the scale of the first applied step is the one the burst ended at.
    assert.equal(steps[burst].loss_scale, steps[burst - 1].loss_scale);
    assert.equal(Math.log2(steps[burst].loss_scale), 33 - burst);
  });
}

Deno.test("a window of clean steps doubles the scale; the next overflow is absorbed, then halves", () => {
  const steps = fp16Steps(3);
  const burst = steps.findIndex((s) => !s.skipped);
  const grown = burst + LOSS_SCALE_WINDOW - 1;
  const settled = steps[burst].loss_scale;
  assert.equal(steps[grown - 1].loss_scale, settled);
  assert.equal(steps[grown].loss_scale, settled * 2, "doubled after 1000 clean steps");
  assert.ok(steps[grown + 1].skipped && steps[grown + 1].loss_scale === settled * 2, "absorbed");
  assert.ok(steps[grown + 2].skipped && steps[grown + 2].loss_scale === settled, "halved");
  assert.ok(!steps[grown + 3].skipped);
});

/** fp16's dynamic loss scaler: initial value, hysteresis, halving and growth after clean windows. */
import assert from "node:assert/strict";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { simulateRun } from "../../src/sim/simulate.ts";
import { findGpu } from "../../src/sim/catalog.ts";
import type { LogEventOf, StepData } from "../../src/sim/events.ts";
import {
  initialLossScale,
  LOSS_SCALE_HYSTERESIS,
  LOSS_SCALE_WINDOW,
} from "../../src/sim/phases/train_state.ts";

const START = Date.parse("2026-11-24T09:00:00Z");
// V100s have no bf16: every run on them is fp16.
const V100 = findGpu("v100")!;

function fp16Run(seed: number) {
  const cfg = drawRunConfig({ seed, startMs: START, gpu: V100, chaos: "off", nodes: 2 });
  const steps: StepData[] = [];
  const overflows: LogEventOf<"fp16.overflow">["data"][] = [];
  for (const ev of simulateRun(cfg, { initMs: 1e15, trainMs: 1e15 })) {
    if (ev.type === "step") steps.push(ev.data);
    if (ev.type === "log" && ev.key === "fp16.overflow") overflows.push(ev.data);
  }
  return { cfg, steps, overflows };
}

Deno.test("the fp16 scaler starts at 2^16, spends its hysteresis, then halves per overflow", () => {
  const { cfg, overflows } = fp16Run(3);
  assert.equal(cfg.precision, "fp16");
  assert.equal(initialLossScale(cfg), cfg.plan.strategy === "megatron" ? 2 ** 32 : 2 ** 16);
  const [first, second] = overflows;
  assert.deepEqual(
    [first.step, first.attempted, first.hysteresis, first.loss_scale],
    [1, initialLossScale(cfg), LOSS_SCALE_HYSTERESIS, initialLossScale(cfg)],
  );
  assert.deepEqual([second.step, second.hysteresis, second.loss_scale], [
    2,
    1,
    second.attempted / 2,
  ]);
});

Deno.test("after a clean window the scale doubles and the next overflows come as a pair", () => {
  const { steps, overflows } = fp16Run(3);
  const burstEnd = overflows.findIndex((o, i) => i > 0 && o.step !== overflows[i - 1].step + 1);
  assert.ok(burstEnd > 0, "a later overflow follows the start-up burst");
  const [kept, halved] = overflows.slice(burstEnd, burstEnd + 2);
  const last = overflows[burstEnd - 1];
  assert.equal(kept.step, last.step + LOSS_SCALE_WINDOW + 1);
  assert.equal(kept.attempted, last.loss_scale * 2);
  assert.deepEqual([kept.hysteresis, kept.loss_scale], [2, kept.attempted]);
  assert.deepEqual([halved.step, halved.hysteresis, halved.loss_scale], [
    kept.step + 1,
    1,
    last.loss_scale,
  ]);
  const byStep = new Map(steps.map((s) => [s.step, s]));
  assert.ok(byStep.get(kept.step)!.skipped && byStep.get(halved.step)!.skipped);
});

Deno.test("a planned fault's overflow is told once, by its fault event with the scaler's facts", () => {
  const cfg = drawRunConfig({ seed: 15, startMs: START, chaos: "high" });
  assert.equal(cfg.precision, "fp16");
  const overflowSteps: number[] = [];
  const faultSteps: number[] = [];
  for (const ev of simulateRun(cfg, { initMs: 1e15, trainMs: 1e15 })) {
    if (ev.type === "log" && ev.key === "fp16.overflow") overflowSteps.push(ev.data.step);
    if (ev.type === "fault" && ev.data.attempted_scale !== undefined) {
      faultSteps.push(ev.data.step);
      assert.ok(ev.data.hysteresis! >= 1);
    }
  }
  assert.ok(faultSteps.length >= 2, "the nan and the forced overflow overflow the scaler");
  assert.deepEqual(faultSteps.filter((s) => overflowSteps.includes(s)), []);
});

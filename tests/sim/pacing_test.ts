import assert from "node:assert/strict";
import { findDataset, findGpu, findModel } from "../../src/sim/catalog.ts";
import type { OutputEvent, SimEvent } from "../../src/sim/events.ts";
import { expectedLoss } from "../../src/sim/model/loss.ts";
import type { PacingRequest } from "../../src/sim/pacing.ts";
import { tokenScaleFor } from "../../src/sim/pacing.ts";
import { drawRunConfig, type RunChoices } from "../../src/sim/run_config.ts";
import { simulateRun } from "../../src/sim/simulate.ts";
import { initialTrainState } from "../../src/sim/phases/train_state.ts";

const GPT2: RunChoices = {
  seed: 5,
  startMs: Date.parse("2026-11-24T09:00:00Z"),
  nodes: 1,
  gpu: findGpu("h100"),
  model: findModel("gpt2-124m"),
  dataset: findDataset("fineweb-10b"),
  epochs: 1,
};

function events(choices: RunChoices): OutputEvent[] {
  const cfg = drawRunConfig(choices);
  const out: OutputEvent[] = [];
  for (const ev of simulateRun(cfg, { initMs: 1e15, trainMs: 1e15 }) as Iterable<SimEvent>) {
    if (ev.type !== "phase" && ev.type !== "tick") out.push(ev);
  }
  return out;
}

const shape = (evs: OutputEvent[]) =>
  evs.map((e) => `${e.type}:${e.simMs}:${e.type === "log" ? e.key : JSON.stringify(e.data)}`);

Deno.test("drawRunConfig(): a style that asks for nothing leaves the run exactly as it was", () => {
  const plain = events(GPT2);
  assert.deepEqual(shape(events({ ...GPT2, pacing: () => undefined })), shape(plain));
  assert.deepEqual(shape(events({ ...GPT2, pacing: () => ({}) })), shape(plain));
});

Deno.test("pacing: evaluations at launch and every interval, logging offset by one step", () => {
  const req: PacingRequest = {
    logInterval: 10,
    logOffset: 1,
    evalInterval: 250,
    evalAtLaunch: true,
  };
  const evs = events({ ...GPT2, pacing: () => req });
  const cfg = drawRunConfig({ ...GPT2, pacing: () => req });
  const vals = evs.flatMap((e) => (e.type === "val" ? [e.data.step] : []));
  assert.equal(vals[0], 0, "an evaluation before the first step");
  const want = [
    0,
    ...Array.from({ length: cfg.totalSteps }, (_, i) => i + 1)
      .filter((s) => s % 250 === 0 || s === cfg.totalSteps),
  ];
  assert.deepEqual(vals, want);
  const logged = evs.flatMap((e) => (e.type === "step" && e.logged ? [e.data.step] : []));
  assert.deepEqual(logged.slice(0, 4), [1, 11, 21, 31]);
});

Deno.test("pacing: --log-interval given by the user wins over the style's", () => {
  const cfg = drawRunConfig({ ...GPT2, logInterval: 7, pacing: () => ({ logInterval: 1 }) });
  assert.equal(cfg.logInterval, 7);
});

Deno.test("pacing: a restarted run evaluates again at the checkpoint it rolls back to", () => {
  const req: PacingRequest = { evalAtLaunch: true, evalInterval: 500 };
  const evs = events({ ...GPT2, seed: 2, chaos: "high", pacing: () => req });
  // The relaunched job loads the checkpoint it rolls back to.
  const resumes = evs.flatMap((e) =>
    e.type === "log" && e.key === "resume.load" && e.data.restart ? [e] : []
  );
  assert.ok(resumes.length > 0, "chaos high restarts at least once");
  for (const r of resumes) {
    const next = evs.slice(evs.indexOf(r)).find((e) => e.type === "val" || e.type === "step");
    assert.equal(next?.type, "val");
    assert.equal(next?.type === "val" && next.data.step, r.type === "log" && r.data.step);
  }
});

Deno.test("pacing: compile time lands in the first step; a target loss is reached at the end", () => {
  const req: PacingRequest = { compileS: [30, 30], firstStepFactor: [1, 1], targetLoss: 3.24 };
  const cfg = drawRunConfig({ ...GPT2, pacing: () => req });
  assert.equal(cfg.pacing.compileS, 30);
  const steps = events({ ...GPT2, pacing: () => req }).flatMap((e) =>
    e.type === "step" ? [e.data.step_time_s] : []
  );
  assert.ok(steps[0] > 30 && steps[0] < 31, `first step ${steps[0]}`);
  assert.ok(steps[1] < 1);
  const curve = initialTrainState(cfg, 0).curve;
  assert.ok(Math.abs(expectedLoss(curve, cfg.totalSteps) - 3.24) < 1e-9);
  assert.equal(tokenScaleFor(cfg, 1.5), 1, "an unreachable target changes nothing");
});

Deno.test("pacing: a zero-initialised head reads ln(padded vocab) at step 0, HellaSwag near chance", () => {
  const req: PacingRequest = { evalAtLaunch: true, zeroHead: true, hellaswag: true };
  const first = events({ ...GPT2, pacing: () => req }).find((e) => e.type === "val");
  assert.ok(first?.type === "val");
  assert.equal(first.data.loss.toFixed(4), "10.8258");
  assert.ok(Math.abs(first.data.hellaswag! - 0.25) < 0.02);
});

/**
 * The step bar's rate is smoothed as tqdm smooths its own, and over any 30 s of steady training
 * at the default pace it is within 10% of the rate at which the step counter really moves.
 */
import assert from "node:assert/strict";
import { createStepRate, STEP_RATE_TAU_S, updateStepRate } from "../../src/render/step_rate.ts";
import { stepLines } from "../../src/render/views/live.ts";
import { paceFor } from "../../src/driver/driver.ts";
import { Pacer } from "../../src/driver/pacer.ts";
import { FRAME_WALL_MS } from "../../src/render/renderer.ts";
import { drawRun } from "../../src/sim/scenario.ts";
import { simulateRun } from "../../src/sim/simulate.ts";
import type { RunConfig } from "../../src/sim/run_config.ts";
import { stepData } from "./fixtures.ts";
import { createTtyRenderer } from "../../src/render/tty.ts";
import { Sink } from "../../src/render/sink.ts";
import { applyStyle, NATIVE_STYLE, openStyle } from "../../src/style/apply.ts";
import { VirtualTerminal } from "./vt.ts";

const close = (a: number, b: number, rel = 1e-12) => Math.abs(a - b) <= rel * Math.abs(b);

Deno.test("updateStepRate() starts at the first step's time and keeps a steady one", () => {
  const r = createStepRate();
  assert.ok(Number.isNaN(updateStepRate(r, 0)), "no rate before a step with a time");
  assert.equal(updateStepRate(r, 1.5), 1.5);
  for (let i = 0; i < 100; i++) assert.ok(close(updateStepRate(r, 1.5), 1.5));
  assert.ok(close(updateStepRate(r, NaN), 1.5), "a step without a time changes nothing");
});

Deno.test("updateStepRate() lets a first step 7 times slower fade within a few time constants", () => {
  const r = createStepRate();
  updateStepRate(r, 7 * 0.2);
  let s = 0, shown = NaN;
  while (s < 6 * STEP_RATE_TAU_S) (shown = updateStepRate(r, 0.2), s += 0.2);
  assert.ok(Math.abs(shown - 0.2) < 0.01 * 0.2, `${shown} s/it after ${s.toFixed(0)} s`);
});

Deno.test("updateStepRate() weighs steps by their time: one 10 s step, ten 1 s steps", () => {
  const one = createStepRate(), ten = createStepRate();
  updateStepRate(one, 2);
  updateStepRate(ten, 2);
  const a = updateStepRate(one, 10);
  let b = NaN;
  for (let i = 0; i < 10; i++) b = updateStepRate(ten, 1);
  // The same ten seconds pass either way, so the 2 s step keeps the same share of the average.
  const shareA = (a - 10) / (2 - 10), shareB = (b - 1) / (2 - 1);
  assert.ok(shareA > 0.01 && shareA < 0.5, `share ${shareA}`);
  assert.ok(close(shareA, shareB, 1e-9), `${shareA} against ${shareB}`);
});

Deno.test("the step bar shows the smoothed rate as tqdm does, it/s from one a second", () => {
  const rateOf = (secPerStep: number) =>
    stepLines(stepData(300), { epochs: 2, totalSteps: 1000 }, secPerStep, 120, false)[1]
      .split(" ").at(-1);
  assert.equal(rateOf(1.5), "1.50s/it");
  assert.equal(rateOf(0.25), "4.00it/s");
  assert.equal(rateOf(1), "1.00it/s");
});

/** The step bar's s/it after each of a run's first steps in a live view, and each step's time. */
function barRates(ahead: boolean): { shown: number; own: number }[] {
  const cfg = drawRun({ seed: 5, startMs: Date.UTC(2026, 11, 7, 14) });
  const vt = new VirtualTerminal(150, 40);
  const dec = new TextDecoder();
  const sink = new Sink({ writeSync: (p) => (vt.write(dec.decode(p)), p.length) });
  const tty = createTtyRenderer(sink, cfg, {
    color: false,
    size: () => ({ columns: 150, rows: 40 }),
    frameMs: null,
  });
  const writer = openStyle(NATIVE_STYLE, cfg);
  const out: { shown: number; own: number }[] = [];
  for (const ev of simulateRun(cfg, { initMs: 1e15, trainMs: 1e15 })) {
    if (ev.type === "tick") continue;
    if (ev.type === "phase") tty.phase(ev);
    else {
      applyStyle(writer, ev);
      if (ahead) tty.prepare!(ev);
      tty.event(ev);
    }
    tty.flush();
    if (ev.type !== "step") continue;
    const bar = vt.lines().find((l) => l.startsWith("Step "))!;
    const [, value, unit] = /(\d+\.\d\d)(s\/it|it\/s)$/.exec(bar)!;
    out.push({
      shown: unit === "s/it" ? Number(value) : 1 / Number(value),
      own: ev.data.step_time_s,
    });
    if (out.length === 3) break;
  }
  tty.close();
  return out;
}

Deno.test("the live view's step bar shows the smoothed rate, drawn ahead or not", () => {
  const rates = barRates(false);
  assert.deepEqual(barRates(true), rates);
  const [first, second] = rates;
  assert.ok(Math.abs(first.shown - first.own) < 0.01 * first.own, "the first step's own time");
  // The slow first step still weighs in after the second, which the bar would show alone.
  assert.ok(second.own < first.own, "the first step is the slow one");
  assert.ok(second.shown > 1.05 * second.own && second.shown < first.own, `${second.shown}`);
});

/** A default run's steps with the wall ms (from the start) at which the pacer shows each. */
function pacedSteps(cfg: RunConfig) {
  const pace = paceFor(false, null);
  let now = 0;
  const pacer = new Pacer(pace.init, cfg.startMs, () => now, FRAME_WALL_MS);
  const pauses: [number, number][] = [];
  let pauseFrom: number | null = null;
  const steps: { wallMs: number; shown: number; stepS: number }[] = [];
  const rate = createStepRate();
  for (const ev of simulateRun(cfg, { initMs: 1e15, trainMs: 1e15 })) {
    if (ev.type === "phase") pacer.setSpeed(ev.phase === "init" ? pace.init : pace.train, ev.simMs);
    now += pacer.delayUntil(ev.simMs);
    if (ev.type === "phase") {
      if (ev.phase === "val" || ev.phase === "ckpt") pauseFrom = now;
      else if (pauseFrom !== null) (pauses.push([pauseFrom, now]), pauseFrom = null);
    }
    if (ev.type !== "step") continue;
    if (pauseFrom !== null) (pauses.push([pauseFrom, now]), pauseFrom = null);
    // What the step bar says: its rate, read back from the line as a watcher reads it.
    const bar = stepLines(ev.data, cfg, updateStepRate(rate, ev.data.step_time_s), 200, false)[1];
    const [, value, unit] = /(\d+\.\d\d)(s\/it|it\/s)$/.exec(bar)!;
    steps.push({
      wallMs: now,
      shown: unit === "it/s" ? Number(value) : 1 / Number(value),
      stepS: ev.data.step_time_s,
    });
  }
  return { steps, pauses };
}

Deno.test("over any 30 s of steady training the shown rate is within 10% of the counted one", () => {
  let runs = 0, windows = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const { steps, pauses } = pacedSteps(drawRun({ seed, startMs: Date.UTC(2026, 11, 7, 14) }));
    // A stalled step (a loader wait, a collection) moves both rates for a while: the smoothed
    // one for a few of its time constants. Windows near one are not steady training.
    const times = steps.slice(2).map((s) => s.stepS).sort((a, b) => a - b);
    const median = times[times.length >> 1];
    const stalls = steps.filter((s) => s.stepS > 1.2 * median).map((s) => s.wallMs);
    let checked = 0;
    for (let i = 2; i < steps.length; i++) {
      const end = steps[i].wallMs, start = end - 30_000;
      if (start < steps[1].wallMs) continue;
      if (pauses.some(([a, b]) => a < end && b > start)) continue;
      if (stalls.some((ms) => ms > start - 4 * STEP_RATE_TAU_S * 1000 && ms <= end)) continue;
      // Steps counted between the first that ends inside the window and the last one.
      const first = steps.findIndex((s) => s.wallMs > start);
      if (end - steps[first].wallMs < 20_000) continue;
      const counted = (i - first) / ((end - steps[first].wallMs) / 1000);
      const shown = steps[i].shown;
      assert.ok(
        Math.abs(counted - shown) <= 0.1 * counted,
        `seed ${seed}: ${counted.toFixed(3)} steps/s counted, ${shown.toFixed(3)} shown`,
      );
      checked++;
    }
    windows += checked;
    if (checked > 0) runs++;
  }
  assert.ok(runs >= 10 && windows > 400, `${windows} windows in ${runs} runs`);
});

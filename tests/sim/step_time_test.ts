/** Step times vary as real clusters vary them: each run its own steadiness, rare stalls. */
import assert from "node:assert/strict";
import { createRng } from "../../src/sim/rng.ts";
import { drawStepTimeModel, stepTimeFactor } from "../../src/sim/model/step_time.ts";

/** `n` step-time factors of seed `seed`'s run on `nodes` nodes. */
function series(seed: number, nodes: number, n: number, req = {}): number[] {
  const model = drawStepTimeModel(createRng(seed, "m"), nodes, req);
  const st = { core: 0, drift: 0 }, rng = createRng(seed, "s");
  return Array.from({ length: n }, (_, i) => stepTimeFactor(model, st, i + 1, rng));
}

const sd = (xs: number[]) => {
  const m = xs.reduce((a, x) => a + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length);
};

Deno.test("each run has its own steadiness; bigger jobs are noisier", () => {
  const small = Array.from(
    { length: 30 },
    (_, s) => sd(series(s, 1, 2000).filter((x) => x < 1.05)),
  );
  const big = Array.from({ length: 30 }, (_, s) => sd(series(s, 256, 2000).filter((x) => x < 1.1)));
  assert.ok(Math.max(...small) > 2 * Math.min(...small), "steadiness differs between runs");
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
  assert.ok(mean(big) > mean(small), `${mean(big)} vs ${mean(small)}`);
});

Deno.test("stalls are rare, a few tens of per cent, never more than 3×", () => {
  let stalls = 0, runsWithStalls = 0;
  for (let s = 0; s < 40; s++) {
    const xs = series(s, 8, 3000);
    const n = xs.filter((x) => x > 1.06).length;
    stalls += n;
    if (n > 0) runsWithStalls++;
    assert.ok(Math.max(...xs) < 3.1);
  }
  assert.ok(runsWithStalls >= 30, `${runsWithStalls} of 40 runs stall now and then`);
  assert.ok(stalls / (40 * 3000) < 0.06, `${stalls} stalls`);
});

Deno.test("a recipe that alternates takes longer on even steps; a quiet one never stalls", () => {
  const xs = series(3, 1, 1000, { alternation: [0.2, 0.2], core: [0.002, 0.002], stalls: false });
  for (let i = 10; i < 1000; i += 2) assert.ok(xs[i - 1] > xs[i] * 1.12, `steps ${i} and ${i + 1}`);
  assert.ok(Math.max(...xs) < 1.3);
  assert.deepEqual(series(7, 4, 50), series(7, 4, 50), "a seed replays its step times");
});

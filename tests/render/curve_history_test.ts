import assert from "node:assert/strict";
import { createCurveHistory, curveSeries, recordStep } from "../../src/render/curve_history.ts";

Deno.test("recordStep() keeps one bucket per step until the buckets fill", () => {
  const h = createCurveHistory(8);
  for (let s = 1; s <= 8; s++) recordStep(h, s, 10 - s, s * 1e-4);
  assert.equal(h.stepsPerBucket, 1);
  assert.deepEqual(Array.from(curveSeries(h).loss), [9, 8, 7, 6, 5, 4, 3, 2]);
});

Deno.test("recordStep() merges neighbours when full, keeping each bucket's mean", () => {
  const h = createCurveHistory(8);
  for (let s = 1; s <= 9; s++) recordStep(h, s, s, 2 * s);
  assert.equal(h.stepsPerBucket, 2);
  assert.equal(h.used, 5);
  assert.deepEqual(Array.from(curveSeries(h).loss), [1.5, 3.5, 5.5, 7.5, 9]);
  assert.deepEqual(Array.from(curveSeries(h).lr), [3, 7, 11, 15, 18]);
  assert.equal(h.lastLoss, 9);
  assert.equal(h.minLoss, 1);
});

Deno.test("a million steps fit in the same buckets and still span every step", () => {
  const h = createCurveHistory();
  const buckets = h.count.length;
  for (let s = 1; s <= 1_000_000; s++) recordStep(h, s, 1, 1);
  assert.equal(h.count.length, buckets);
  assert.ok(h.used > buckets / 2 && h.used <= buckets, `used ${h.used}`);
  assert.equal(h.count.reduce((a, b) => a + b, 0), 1_000_000);
});

Deno.test("recordStep() of a skipped step sets the latest values and the minimum, not the means", () => {
  const h = createCurveHistory(8);
  recordStep(h, 1, 3, 1e-4);
  recordStep(h, 2, 2.5, 0, true);
  assert.deepEqual([h.lastLoss, h.lastLr, h.minLoss], [2.5, 0, 2.5], "what the metrics line shows");
  assert.equal(h.used, 1);
  assert.deepEqual(Array.from(curveSeries(h).lr), [1e-4], "no dip to 0 in the plot");
  recordStep(h, 3, 2.8, 2e-4);
  assert.deepEqual([h.lastLoss, h.lastLr, h.minLoss], [2.8, 2e-4, 2.5]);
  assert.deepEqual(Array.from(curveSeries(h).loss), [3, NaN, 2.8], "the skipped step's bucket");
});

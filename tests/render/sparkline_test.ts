import assert from "node:assert/strict";
import { braillePlot, extent, resample, sparkline } from "../../src/render/views/sparkline.ts";

Deno.test("sparkline() maps lo to ▁ and hi to █, NaN to a space", () => {
  assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 0, 7), "▁▂▃▄▅▆▇█");
  assert.equal(sparkline([5, NaN, 5], 5, 5), "▅ ▅");
  assert.equal(sparkline([], 0, 1), "");
});

Deno.test("resample() averages when shrinking and interpolates when stretching", () => {
  assert.deepEqual(Array.from(resample([1, 2, 3, 4], 2)), [1.5, 3.5]);
  assert.deepEqual(Array.from(resample([0, 10], 4)), [0, 2.5, 7.5, 10]);
  assert.deepEqual(Array.from(resample([4, 5, 6], 3)), [4, 5, 6]);
  assert.ok(resample([], 3).every(Number.isNaN));
});

Deno.test("braillePlot() draws a rising line two dots per cell across, four down", () => {
  assert.deepEqual(braillePlot([0, 1, 2, 3, 4, 5, 6, 7], 0, 7, 2), ["⠀⠀⡠⠊", "⡠⠊⠀⠀"]);
});

Deno.test("braillePlot() joins a steep drop and rise with vertical runs", () => {
  assert.deepEqual(braillePlot([7, 0, 0, 7], 0, 7, 2), ["⢱⢸", "⢸⡸"]);
});

Deno.test("braillePlot() leaves NaN columns empty and puts a flat series mid-height", () => {
  assert.deepEqual(braillePlot([NaN, NaN, 3, 3], 3, 3, 1), ["⠀⠒"]);
});

Deno.test("extent() ignores NaN and is NaN for no values", () => {
  assert.deepEqual(extent([3, NaN, -1, 2]), [-1, 3]);
  assert.deepEqual(extent([]), [NaN, NaN]);
});

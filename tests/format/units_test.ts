/** Exponent formatting as Python prints it. */
import assert from "node:assert/strict";
import { formatExp, formatLr, tenths } from "../../src/format/units.ts";

Deno.test("formatExp() pads one-digit exponents to two and leaves the rest alone", () => {
  const cases: Array<[number, number, string]> = [
    [3e-4, 3, "3.000e-04"],
    [6.3e-4, 3, "6.300e-04"],
    [1.5e12, 2, "1.50e+12"],
    [-2.5e-7, 1, "-2.5e-07"],
    [1e-100, 0, "1e-100"],
    [0, 3, "0.000e+00"],
    [NaN, 3, "NaN"],
    [Infinity, 3, "Infinity"],
  ];
  for (const [value, digits, text] of cases) assert.equal(formatExp(value, digits), text);
});

Deno.test("formatLr() shows a learning rate with three decimals", () => {
  assert.equal(formatLr(0.00063), "6.300e-04");
});

Deno.test("tenths() gives toFixed(1)'s text, ties and edges included", () => {
  const values = [0, -0, 0.05, 0.15, 0.25, 1.45, 2.55, 79.95, 80, 0.04999999, 123456.75, 2 ** 31];
  values.push(-1.25, NaN, Infinity, 1e21, 3e-9);
  // Telemetry readings are Float32 values; ties sit on every twentieth.
  for (let i = 0; i < 200_000; i++) values.push(Math.fround(i * 0.0137), i / 20, i / 20 + 1e-12);
  for (const x of values) assert.equal(tenths(x), x.toFixed(1), `tenths(${x})`);
});

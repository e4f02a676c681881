/** Exponent formatting as Python prints it. */
import assert from "node:assert/strict";
import { formatExp, formatLr } from "../../src/style/units.ts";

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

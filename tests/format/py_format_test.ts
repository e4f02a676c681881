import assert from "node:assert/strict";
import { pyFixed, pyFixedGrouped, pyG } from "../../src/format/py_format.ts";

Deno.test("pyFixed() rounds an exact tie to even, as Python's format does", () => {
  const cases: Array<[number, number, string]> = [
    [0.125, 2, "0.12"],
    [1.125, 2, "1.12"],
    [2.5, 0, "2"],
    [0.5, 0, "0"],
    [1.5, 0, "2"],
    [12.5, 0, "12"],
    [2.675, 2, "2.67"],
    [1234.5678, 2, "1234.57"],
    [99.995, 2, "100.00"],
    [6.650019284, 2, "6.65"],
    [0, 3, "0.000"],
    [NaN, 2, "nan"],
  ];
  for (const [x, d, want] of cases) assert.equal(pyFixed(x, d), want, `${x} .${d}f`);
});

Deno.test("pyFixedGrouped() groups thousands like Python's ',' option", () => {
  assert.equal(pyFixedGrouped(1234.5678, 3), "1,234.568");
  assert.equal(pyFixedGrouped(28966.928384, 3), "28,966.928");
  assert.equal(pyFixedGrouped(372.916, 3), "372.916");
  assert.equal(pyFixedGrouped(1234567.25, 1), "1,234,567.2");
});

Deno.test("pyG() matches Python's .3g, ties to even included", () => {
  const cases: Array<[number, string]> = [
    [0.125, "0.125"],
    [1.125, "1.12"],
    [2.5, "2.5"],
    [1234.5678, "1.23e+03"],
    [99.995, "100"],
    [99.95, "100"],
    [31955, "3.2e+04"],
    [0.000123456, "0.000123"],
    [0.0000123456, "1.23e-05"],
    [9.6450123, "9.65"],
    [1, "1"],
  ];
  for (const [x, want] of cases) assert.equal(pyG(x, 3), want, String(x));
});

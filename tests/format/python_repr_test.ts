import assert from "node:assert/strict";
import {
  pyDict,
  pyFloat,
  pyGeneral,
  pyRound,
  pyStr,
  sciUpper,
  tqdmNum,
} from "../../src/format/python_repr.ts";

Deno.test("pyFloat() prints floats the way Python's repr does", () => {
  const cases: Array<[number, string]> = [
    [1, "1.0"],
    [0, "0.0"],
    [-2.5, "-2.5"],
    [0.1 + 0.2, "0.30000000000000004"],
    [1e-5, "1e-05"],
    [0.0001, "0.0001"],
    [2e-5 * 0.982, "1.9640000000000002e-05"],
    [123456789.5, "123456789.5"],
    [1e16, "1e+16"],
    [1234567890123456, "1234567890123456.0"],
    [Number.NaN, "nan"],
    [Infinity, "inf"],
  ];
  for (const [x, want] of cases) assert.equal(pyFloat(x), want, String(x));
});

Deno.test("pyGeneral() and tqdmNum() match Python's %g and tqdm's format_num", () => {
  assert.equal(pyGeneral(31955, 3), "3.2e+04");
  assert.equal(pyGeneral(9.6450123, 3), "9.65");
  assert.equal(pyGeneral(0.000123456, 3), "0.000123");
  assert.equal(pyGeneral(0.0000123456, 3), "1.23e-05");
  assert.equal(tqdmNum(31955.0), "3.2e+4");
  assert.equal(tqdmNum(2.5e7), "2.5e+7");
  assert.equal(tqdmNum(9.6450123), "9.65");
  assert.equal(tqdmNum(4.0), "4");
  assert.equal(tqdmNum(0.00053), "0.00053");
  assert.equal(tqdmNum(2.7551020408e-5), "2.76e-5");
});

Deno.test("sciUpper() gives C's %.6E with a two-digit exponent", () => {
  assert.equal(sciUpper(2.1988451, 6), "2.198845E+00");
  assert.equal(sciUpper(2.755102e-5, 6), "2.755102E-05");
  assert.equal(sciUpper(15.721634, 6), "1.572163E+01");
  assert.equal(sciUpper(0, 3), "0.000E+00");
});

Deno.test("pyRound(), pyDict() and pyStr() build Python literals", () => {
  assert.equal(pyRound(0.75744, 4), 0.7574);
  assert.equal(pyRound(0.6449, 2), 0.64);
  assert.equal(pyDict([["loss", "0.7574"], ["epoch", "0.64"]]), "{'loss': 0.7574, 'epoch': 0.64}");
  assert.equal(pyStr("it's"), "'it\\'s'");
});

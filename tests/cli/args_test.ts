/** parseArgs(): every flag's accepted values and the one-line errors for bad ones. */
import assert from "node:assert/strict";
import { parseArgs, UsageError } from "../../src/cli/args.ts";
import { parseDuration } from "../../src/cli/values.ts";

Deno.test("parseArgs() with no flags gives the documented defaults", () => {
  const o = parseArgs([]);
  assert.equal(o.format, "auto");
  assert.equal(o.seed, null);
  assert.equal(o.speed, null);
  assert.equal(o.instant, false);
  assert.equal(o.workers, undefined, "main picks by cluster size");
  assert.equal(o.logInterval, undefined);
  assert.equal(o.style, "auto");
  assert.equal(o.color, true);
  assert.equal(o.timestamps, "auto");
});

Deno.test("parseArgs() takes --flag value, --flag=value and short flags", () => {
  const o = parseArgs(["--seed", "42", "--nodes=16", "--gpu", "H100-PCIe", "-V", "--format=jsonl"]);
  assert.equal(o.seed, 42);
  assert.equal(o.nodes, 16);
  assert.equal(o.gpu?.id, "h100-pcie");
  assert.equal(o.version, true);
  assert.equal(o.format, "jsonl");
});

Deno.test("parseArgs() resolves GPU short names case-insensitively", () => {
  const cases: Array<[string, string]> = [
    ["H100", "h100-sxm"],
    ["h100-pcie", "h100-pcie"],
    ["A100-80GB", "a100-80gb"],
    ["a100-40gb", "a100-40gb"],
    ["H200", "h200"],
    ["B200", "b200"],
    ["gb200", "gb200"],
    ["MI300X", "mi300x"],
    ["NVIDIA H100 80GB HBM3", "h100-sxm"],
  ];
  for (const [name, id] of cases) assert.equal(parseArgs(["--gpu", name]).gpu?.id, id, name);
});

Deno.test("parseDuration() reads s, m, h, ms, d and their sums", () => {
  assert.equal(parseDuration("90s"), 90_000);
  assert.equal(parseDuration("5m"), 300_000);
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("250ms"), 250);
  assert.equal(parseDuration("2"), 2000);
  assert.equal(parseDuration("1.5h"), 5_400_000);
  for (const bad of ["", "5x", "m5", "1h 30m", "-5s", "5s3"]) {
    assert.equal(parseDuration(bad), null, bad);
  }
});

const BAD: Array<[string[], RegExp]> = [
  [["--bogus"], /unknown flag --bogus/],
  [["--nodes", "0"], /--nodes must be a whole number from 1 to 16384, got "0"/],
  [["--nodes", "abc"], /--nodes must be a whole number/],
  [["--nodes", "16385"], /--nodes must be a whole number/],
  [["--nodes"], /--nodes needs a value/],
  [["--gpu", "tpu-v5"], /--gpu "tpu-v5" is not known; see fauxtrain --list gpus/],
  [["--model", "gpt-17"], /--model "gpt-17" is not known; see fauxtrain --list models/],
  [["--speed", "0"], /--speed must be a number from 0.001 to 1000000/],
  [["--speed", "NaN"], /--speed must be a number from 0.001/],
  [["--exit-after", "soon"], /--exit-after must be a duration such as 90s/],
  [["--start", "yesterday"], /--start must be an ISO-8601 date/],
  [["--start", "2026-13-45"], /--start must be an ISO-8601 date/],
  [["--format", "xml"], /--format must be one of auto, tty, text, jsonl, got "xml"/],
  [["--list", "cats"], /--list must be one of models, gpus, datasets/],
  [["--instant", "--speed", "10"], /--instant and --speed cannot be combined/],
  [["--seed", "-1"], /--seed must be a whole number from 0 to 4294967295/],
  [["--epochs", "0"], /--epochs must be a whole number from 1 to 100/],
  [["--instant=yes"], /--instant takes no value/],
  [["train.py"], /unexpected argument "train.py"/],
  [["--seed", "1", "--seed", "2"], /--seed was given twice/],
];

for (const [argv, message] of BAD) {
  Deno.test(`parseArgs(${JSON.stringify(argv)}) is a one-line usage error`, () => {
    assert.throws(() => parseArgs(argv), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, message);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  });
}

Deno.test("--log-interval sets the logging cadence of the run", () => {
  assert.equal(parseArgs(["--log-interval", "1"]).logInterval, 1);
  assert.throws(() => parseArgs(["--log-interval", "0"]), /--log-interval must be a whole number/);
});

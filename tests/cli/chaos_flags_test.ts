/** --chaos and --resume on the command line. */
import assert from "node:assert/strict";
import { parseArgs, UsageError } from "../../src/cli/args.ts";

Deno.test("parseArgs() defaults to --chaos low without --resume", () => {
  const o = parseArgs([]);
  assert.equal(o.chaos, "low");
  assert.equal(o.resume, false);
});

Deno.test("parseArgs() takes --chaos off|low|high and --resume", () => {
  for (const level of ["off", "low", "high"]) {
    assert.equal(parseArgs(["--chaos", level]).chaos, level);
  }
  assert.equal(parseArgs(["--chaos=high", "--resume"]).resume, true);
});

Deno.test("parseArgs() rejects any other chaos level with one line naming the flag", () => {
  assert.throws(
    () => parseArgs(["--chaos", "medium"]),
    (e) =>
      e instanceof UsageError &&
      e.message === '--chaos must be one of off, low, high, got "medium"',
  );
  assert.throws(() => parseArgs(["--resume=yes"]), /--resume takes no value/);
});

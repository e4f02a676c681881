/** End to end: the worker count never shows in the output. */
import assert from "node:assert/strict";
import { runMain, START } from "../e2e/run_main.ts";

Deno.test("main.ts writes the same bytes with --workers 1, 2 and 8", async () => {
  const run = (workers: number) =>
    runMain([
      "--instant",
      "--seed",
      "19",
      "--start",
      START,
      "--nodes",
      "3",
      "--format",
      "jsonl",
      "--workers",
      String(workers),
    ]);
  const one = await run(1);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /"type":"gpu"/);
  for (const workers of [2, 8]) assert.equal((await run(workers)).stdout, one.stdout);
});

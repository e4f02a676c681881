/** rememberLast() computes again only when an argument changes. */
import assert from "node:assert/strict";
import { rememberLast } from "../../src/render/memo.ts";

Deno.test("rememberLast() returns the remembered result for the same arguments", () => {
  let calls = 0;
  const lines = rememberLast((
    t: { v: number },
    width: number,
  ) => (calls++, [`${t.v}`.padEnd(width)]));
  const a = { v: 1 };
  const first = lines(a, 4);
  assert.equal(lines(a, 4), first);
  assert.equal(calls, 1);
  assert.deepEqual(lines(a, 5), ["1    "]);
  // A new object with equal contents is a new argument: telemetry frames are never mutated.
  assert.deepEqual(lines({ v: 2 }, 5), ["2    "]);
  assert.equal(calls, 3);
});

import assert from "node:assert/strict";
import { unit3, unit4 } from "../../src/cluster/hash.ts";
import { createRng, hashUnit } from "../../src/sim/rng.ts";

Deno.test("unit3() and unit4() equal hashUnit() of the same integers, bit for bit", () => {
  const rng = createRng(99, "hash-test");
  const int = () => Math.floor(rng.next() * 2 ** 32) - (rng.next() < 0.1 ? 2 ** 31 : 0);
  const edge = [0, 1, 7, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, -1, 1_795_000_000];
  for (let k = 0; k < 20_000; k++) {
    const [a, b, c, d] = k < edge.length ? [edge[k], k, edge[k], 3] : [int(), int(), int(), int()];
    assert.equal(unit3(a, b, c), hashUnit(a, b, c));
    assert.equal(unit4(a, b, c, d), hashUnit(a, b, c, d));
  }
});

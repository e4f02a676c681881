import assert from "node:assert/strict";
import { createRng } from "../../src/sim/rng.ts";
import { interleave, prefixLines, shuffled } from "../../src/style/ranks.ts";

Deno.test("interleave() mixes blocks but keeps each block's own order", () => {
  const blocks = [0, 1, 2, 3].map((b) => [0, 1, 2, 3, 4].map((i) => `${b}:${i}`));
  const out = interleave(blocks, createRng(1, "t"));
  assert.equal(out.length, 20);
  for (let b = 0; b < 4; b++) {
    assert.deepEqual(out.filter((l) => l.startsWith(`${b}:`)), blocks[b]);
  }
  assert.notDeepEqual(out, blocks.flat(), "blocks are mixed");
  assert.deepEqual(
    interleave(blocks, createRng(1, "t")),
    out,
    "the same stream gives the same order",
  );
});

Deno.test("shuffled() is a seeded permutation", () => {
  const items = Array.from({ length: 16 }, (_, i) => i);
  const a = shuffled(items, createRng(5, "x"));
  assert.deepEqual([...a].sort((x, y) => x - y), items);
  assert.deepEqual(shuffled(items, createRng(5, "x")), a);
  assert.notDeepEqual(shuffled(items, createRng(6, "x")), a);
});

Deno.test("prefixLines() prefixes every line and leaves blank messages blank", () => {
  assert.equal(prefixLines("[default3]:", "a\nb"), "[default3]:a\n[default3]:b");
  assert.equal(prefixLines("0: ", ""), "");
});

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

Deno.test("interleave() keeps a writer's quick lines together, not in turns", () => {
  // Sixteen ranks each print two lines at once (NCCL's bootstrap and version lines).
  const blocks = Array.from({ length: 16 }, (_, b) => [`${b}:0`, `${b}:1`]);
  let together = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const owners = interleave(blocks, createRng(seed, "pair")).map((l) => l.split(":")[0]);
    together += owners.filter((o, k) => k > 0 && o === owners[k - 1]).length;
  }
  // A merge that takes turns splits most pairs; one by writing time keeps most whole.
  assert.ok(together / (20 * 16) > 0.6, `${together / 320} of pairs whole`);
});

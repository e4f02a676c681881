import assert from "node:assert/strict";
import { STYLES } from "../../src/style/style.ts";
import { GOLDEN_DIR, GOLDEN_EXTRAS, goldenExcerpt } from "./golden.ts";

const GOLDENS: Array<[string, () => string]> = [
  ...Object.keys(STYLES).filter((n) => n !== "native").map((n): [string, () => string] => [
    n,
    () => goldenExcerpt(STYLES[n]),
  ]),
  ...Object.entries(GOLDEN_EXTRAS).map(([file, { style, run }]): [string, () => string] => [
    file,
    () => goldenExcerpt(STYLES[style], run),
  ]),
];

for (const [name, excerpt] of GOLDENS) {
  Deno.test(`${name} prints its golden lines for the fixed seed`, async () => {
    const want = await Deno.readTextFile(new URL(`${name}.txt`, GOLDEN_DIR));
    const got = excerpt().split("\n");
    // Line by line, so a failure names the first line that moved.
    want.split("\n").forEach((line, i) =>
      assert.equal(
        got[i],
        line,
        `line ${
          i + 1
        } of golden/${name}.txt (after an intended change: deno run --allow-read=. --allow-write=tests/style/golden tests/style/update_golden.ts)`,
      )
    );
    assert.equal(got.length, want.split("\n").length);
  });
}

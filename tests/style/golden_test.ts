import assert from "node:assert/strict";
import { STYLES } from "../../src/style/style.ts";
import { GOLDEN_DIR, goldenExcerpt } from "./golden.ts";

for (const name of Object.keys(STYLES).filter((n) => n !== "native")) {
  Deno.test(`${name} prints its golden lines for the fixed seed`, async () => {
    const want = await Deno.readTextFile(new URL(`${name}.txt`, GOLDEN_DIR));
    const got = goldenExcerpt(STYLES[name]).split("\n");
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

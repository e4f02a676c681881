/** Which runs skip the all-reduce probe's round trip to the workers in the live view. */
import assert from "node:assert/strict";
import { printsAllReduce } from "../../src/driver/driver.ts";
import { loadStyle } from "../../src/style/load.ts";
import { STYLE_NAMES } from "../../src/style/names.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";

Deno.test("printsAllReduce() is true for fauxtrain's own lines and false for every framework", async () => {
  const cfg = drawRunConfig({ seed: 1, startMs: Date.UTC(2026, 10, 24, 9), nodes: 8 });
  for (const name of STYLE_NAMES) {
    const style = await loadStyle(name);
    assert.equal(printsAllReduce(style, cfg), name === "native", name);
  }
});

/** How many telemetry workers a run gets when --workers is not given. */
import assert from "node:assert/strict";
import { defaultWorkers } from "../../src/driver/driver.ts";

Deno.test("defaultWorkers() gives small clusters one worker and large ones up to the cores", () => {
  assert.equal(defaultWorkers(1, 2), 1);
  assert.equal(defaultWorkers(128, 8), 1);
  assert.equal(defaultWorkers(1024, 8), 1);
  assert.equal(defaultWorkers(1025, 8), 2);
  assert.equal(defaultWorkers(16384, 2), 2);
  assert.equal(defaultWorkers(16384, 64), 8);
});

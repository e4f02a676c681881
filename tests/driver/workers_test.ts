/** How many telemetry worker threads a run gets. */
import assert from "node:assert/strict";
import { workersFor } from "../../src/driver/driver.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";

const config = (nodes: number) => drawRunConfig({ seed: 5, startMs: 0, nodes, gpusPerNode: 8 });
const paced = { workers: null, maxWorkers: 8, live: true, instant: false };

Deno.test("workersFor() gives a paced live run one worker per 16,384 GPUs, within the cap", () => {
  assert.equal(workersFor(config(8), paced), 1);
  assert.equal(workersFor(config(128), paced), 1);
  assert.equal(workersFor(config(2048), paced), 1);
  assert.equal(workersFor(config(2049), paced), 2);
  assert.equal(workersFor(config(16384), paced), 8);
  assert.equal(workersFor(config(16384), { ...paced, maxWorkers: 2 }), 2);
});

Deno.test("workersFor() keeps the full default for line modes and --instant", () => {
  assert.equal(workersFor(config(8), { ...paced, live: false }), 8);
  assert.equal(workersFor(config(8), { ...paced, instant: true }), 8);
});

Deno.test("workersFor() takes --workers as given, live or not", () => {
  assert.equal(workersFor(config(8), { ...paced, workers: 4 }), 4);
  assert.equal(workersFor(config(8), { ...paced, live: false, workers: 3 }), 3);
});

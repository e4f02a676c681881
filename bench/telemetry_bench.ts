/** Worker-side telemetry: one tick for a block of nodes. */
import { initialThermal, sampleBlock } from "../src/cluster/telemetry.ts";
import { fixtureInit, START_MS, trainTick } from "./fixtures.ts";

for (const nodes of [8, 2048]) {
  const init = fixtureInit(nodes);
  const state = initialThermal(init);
  let simMs = START_MS;
  Deno.bench(`sampleBlock ${nodes} nodes (${nodes * 8} GPUs)`, () => {
    simMs += 500;
    sampleBlock(init, state, trainTick(simMs));
  });
}

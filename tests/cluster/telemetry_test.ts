import assert from "node:assert/strict";
import { initialThermal, sampleBlock } from "../../src/cluster/telemetry.ts";
import type { Tick } from "../../src/cluster/protocol.ts";
import { blockInit, clusterOptions, TICKS } from "./ticks.ts";

const o = clusterOptions(3, 3);
const tick = (k: number): Tick => ({ type: "tick", seq: k + 1, ...TICKS[k] });

Deno.test("a block restarted from its warm state continues exactly as if it never stopped", () => {
  const cold = blockInit(o, 1, 2);
  const steady = initialThermal(cold);
  const uninterrupted = TICKS.map((_, k) => sampleBlock(cold, steady, tick(k)));
  for (const crashAfter of [0, 2, 5]) {
    const before = initialThermal(cold);
    for (let k = 0; k <= crashAfter; k++) sampleBlock(cold, before, tick(k));
    const last = uninterrupted[crashAfter];
    const warm = {
      ...cold,
      warm: { tempC: last.tempC.slice(), lastSimMs: TICKS[crashAfter].simMs },
    };
    const state = initialThermal(warm);
    for (let k = crashAfter + 1; k < TICKS.length; k++) {
      assert.deepEqual(sampleBlock(warm, state, tick(k)), uninterrupted[k], `tick ${k + 1}`);
    }
  }
});

Deno.test("sampleBlock() heats GPUs under training and cools them at a checkpoint", () => {
  const init = blockInit(o, 0, 1);
  const state = initialThermal(init);
  const temps = TICKS.map((_, k) => sampleBlock(init, state, tick(k)).tempC[0]);
  assert.ok(temps[5] > temps[1] + 15, `training warms: ${temps[1]} -> ${temps[5]}`);
  assert.ok(temps[6] < temps[5], `a checkpoint cools: ${temps[5]} -> ${temps[6]}`);
  const train = sampleBlock(init, state, { ...tick(7), seq: 9 });
  assert.ok(train.powerW.every((w) => w > 70 && w <= 700 * 1.06));
  assert.ok(train.memGiB.every((m) => m > 59 && m < 80));
});

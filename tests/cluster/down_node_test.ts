/** Telemetry of a node lost to a GPU fault, and of ranks hung in a collective. */
import assert from "node:assert/strict";
import { initialThermal, sampleBlock } from "../../src/cluster/telemetry.ts";
import type { Tick, WorkerInit } from "../../src/cluster/protocol.ts";

const INIT: WorkerInit = {
  type: "init",
  seed: 5,
  gpusPerNode: 8,
  firstNode: 0,
  nodeCount: 2,
  memTotalGiB: 79.6,
  tdpW: 700,
  idleW: 70,
};

function tick(seq: number, activity: Tick["activity"], downNodes?: number[]): Tick {
  return {
    type: "tick",
    seq,
    simMs: seq * 30_000,
    activity,
    intensity: activity === "hang" ? 0.25 : 0.85,
    memGiB: 60,
    loadFraction: 1,
    ...(downNodes ? { downNodes } : {}),
  };
}

Deno.test("sampleBlock() reads a down node as 0%, 0 GiB and 0 W, cooling off; the others run", () => {
  const state = initialThermal(INIT);
  for (let i = 1; i <= 10; i++) sampleBlock(INIT, state, tick(i, "train"));
  const hot = sampleBlock(INIT, state, tick(11, "train"));
  let s = hot;
  for (let i = 12; i <= 20; i++) s = sampleBlock(INIT, state, tick(i, "train", [1]));
  for (let g = 8; g < 16; g++) {
    assert.equal(s.utilPct[g], 0);
    assert.equal(s.memGiB[g], 0);
    assert.equal(s.powerW[g], 0);
    assert.ok(s.tempC[g] < hot.tempC[g] - 10, "a dead node cools toward ambient");
  }
  for (let g = 0; g < 8; g++) assert.ok(s.utilPct[g] > 50 && s.powerW[g] > 300);
  const back = sampleBlock(INIT, state, tick(21, "idle"));
  // Back up and idle: each card at its own idle draw (70 W give or take a few), a context held.
  for (let g = 8; g < 16; g++) assert.ok(back.powerW[g] >= 63 && back.memGiB[g] > 0);
});

Deno.test("sampleBlock() shows ranks hung in a collective at full utilisation but low power", () => {
  const state = initialThermal(INIT);
  const train = sampleBlock(INIT, state, tick(1, "train"));
  const hang = sampleBlock(INIT, state, tick(2, "hang"));
  for (let g = 0; g < 16; g++) {
    assert.equal(hang.utilPct[g], 100);
    assert.ok(hang.powerW[g] < train.powerW[g] * 0.6);
    assert.equal(hang.memGiB[g], train.memGiB[g], "the memory stays allocated");
  }
});

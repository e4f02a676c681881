/**
 * Memory as the driver counts it: nothing before a process starts, a context when it has, then
 * the allocator's whole blocks; ranks of a tier alike to the MiB, rank 0 often above them, stray
 * contexts on GPU 0 when the run has them, and the per-process split adding up.
 */
import assert from "node:assert/strict";
import { initialThermal, sampleBlock } from "../../src/cluster/telemetry.ts";
import type { Tick, WorkerInit } from "../../src/cluster/protocol.ts";
import {
  memoryTraits,
  ownProcessMiB,
  sharedMiB,
  strayProcesses,
} from "../../src/cluster/gpu_memory.ts";

function init(seed: number): WorkerInit {
  return {
    type: "init",
    seed,
    gpusPerNode: 8,
    firstNode: 0,
    nodeCount: 2,
    memTotalGiB: 81559 / 1024,
    tdpW: 700,
    idleW: 70,
  };
}

function tick(activity: Tick["activity"], loadFraction = 1): Tick {
  return {
    type: "tick",
    seq: 1,
    simMs: 30_000,
    activity,
    intensity: 0.85,
    memGiB: 61.3,
    loadFraction,
  };
}

const mib = (gib: number) => gib * 1024;

Deno.test("no process, no memory; a process holds its context, then whole allocator blocks", () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const i = init(seed), t = memoryTraits(seed, 8);
    const state = initialThermal(i);
    assert.ok(sampleBlock(i, state, tick("empty")).memGiB.every((m) => m === 0));
    const idle = sampleBlock(i, state, tick("idle")).memGiB;
    idle.forEach((m, g) => assert.equal(mib(m), sharedMiB(t, g % 8) + t.contextMiB));
    const train = sampleBlock(i, state, tick("train")).memGiB;
    train.forEach((m, g) => {
      const used = mib(m);
      assert.ok(Number.isInteger(used), `${used}`);
      assert.equal((used - sharedMiB(t, g % 8) - t.contextMiB) % 2, 0, "2 MiB blocks");
      assert.equal(ownProcessMiB(t, g % 8, used) + sharedMiB(t, g % 8), used);
    });
    const half = sampleBlock(i, state, tick("load", 0.5)).memGiB;
    half.forEach((m, g) => assert.ok(m > idle[g] && m < train[g]));
  }
});

Deno.test("ranks of a tier hold the same memory to the MiB; tiers and rank 0 differ", () => {
  let sameRanks = 0, rankZeroAbove = 0, strayRuns = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const i = init(seed), t = memoryTraits(seed, 8);
    const used = Array.from(sampleBlock(i, initialThermal(i), tick("train")).memGiB, mib);
    const others = used.slice(9);
    sameRanks += new Set(others).size < others.length ? 1 : 0;
    rankZeroAbove += used[0] > Math.max(...used.slice(1, 8)) ? 1 : 0;
    if (t.strayCount > 0) {
      strayRuns++;
      assert.equal(strayProcesses(t, 0), 7);
      assert.equal(strayProcesses(t, 3), 0);
      assert.ok(used[0] - used[1] > 7 * t.strayMiB * 0.9, "GPU 0 holds the stray contexts");
    }
  }
  assert.ok(sameRanks > 20, `${sameRanks} runs with ranks alike`);
  assert.ok(rankZeroAbove > 8 && rankZeroAbove < 30, `${rankZeroAbove} runs with rank 0 above`);
  assert.ok(strayRuns > 3 && strayRuns < 20, `${strayRuns} runs with stray contexts`);
});

Deno.test("memoryTraits() is a pure function of the seed, with contexts of about half a GiB", () => {
  assert.deepEqual(memoryTraits(42, 8), memoryTraits(42, 8));
  for (let seed = 1; seed <= 50; seed++) {
    const t = memoryTraits(seed, 8);
    assert.ok(t.contextMiB >= 496 && t.contextMiB <= 622 && t.contextMiB % 2 === 0);
    assert.ok(t.driverMiB >= 9 && t.driverMiB <= 17);
    assert.equal(memoryTraits(seed, 1).strayCount, 0, "one GPU, no other rank to stray");
  }
});

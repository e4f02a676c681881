import assert from "node:assert/strict";
import { createFrame, type Frame, mergeSample, nodeBlocks } from "../../src/cluster/frame.ts";
import { initialThermal, sampleBlock } from "../../src/cluster/telemetry.ts";
import type { Sample } from "../../src/cluster/protocol.ts";
import { blockInit, clusterOptions, TICKS } from "./ticks.ts";

Deno.test("nodeBlocks() splits nodes into contiguous blocks that cover every node once", () => {
  assert.deepEqual(nodeBlocks(4, 8), [[0, 1], [1, 1], [2, 1], [3, 1]]);
  assert.deepEqual(nodeBlocks(10, 3), [[0, 3], [3, 3], [6, 4]]);
  assert.deepEqual(nodeBlocks(1, 8), [[0, 1]]);
  for (const [nodes, workers] of [[16384, 8], [9, 4], [64, 64], [5, 2]]) {
    const blocks = nodeBlocks(nodes, workers);
    assert.equal(blocks.length, Math.min(nodes, workers));
    let next = 0;
    for (const [first, count] of blocks) {
      assert.equal(first, next);
      assert.ok(count >= 1);
      next = first + count;
    }
    assert.equal(next, nodes);
  }
});

function blockSamples(nodes: number, workers: number, ticks: number): Sample[][] {
  const o = clusterOptions(nodes, workers);
  return nodeBlocks(nodes, workers).map(([first, count]) => {
    const init = blockInit(o, first, count);
    const state = initialThermal(init);
    return TICKS.slice(0, ticks).map((t, k) =>
      sampleBlock(init, state, { type: "tick", seq: k + 1, ...t })
    );
  });
}

function frameOf(samples: Sample[], nodes: number): Frame {
  const f = createFrame(samples[0].seq, 0, nodes, 8, samples[0].allreduceMs !== null);
  for (const s of samples) mergeSample(f, s, 8);
  return f;
}

Deno.test("mergeSample() gives the same frame whatever order the blocks arrive in", () => {
  const perBlock = blockSamples(6, 3, 4);
  const last = perBlock.map((ticks) => ticks[3]);
  const inOrder = frameOf(last, 6);
  const reversed = frameOf([...last].reverse(), 6);
  const shuffled = frameOf([last[1], last[2], last[0]], 6);
  assert.deepEqual(reversed, inOrder);
  assert.deepEqual(shuffled, inOrder);
  assert.ok(inOrder.allreduceMs, "the probe tick carries all-reduce times");
  assert.ok(inOrder.utilPct.every((u) => u > 50), "every rank was filled in");
});

Deno.test("per-GPU readings do not depend on how nodes are split over workers", () => {
  const nodes = 7;
  const frames = (workers: number) =>
    TICKS.map((_, k) =>
      frameOf(blockSamples(nodes, workers, TICKS.length).map((b) => b[k]), nodes)
    );
  const one = frames(1);
  for (const workers of [2, 3, 7]) assert.deepEqual(frames(workers), one, `${workers} workers`);
});

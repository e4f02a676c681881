/** The live region never exceeds the terminal's width or height, at any size and cluster. */
import assert from "node:assert/strict";
import { liveLines, type LiveState } from "../../src/render/views/live.ts";
import { visibleWidth } from "../../src/render/ansi.ts";
import type { StepData } from "../../src/sim/events.ts";

function telemetry(gpus: number) {
  const f = (fn: (r: number) => number) => Float32Array.from({ length: gpus }, (_, r) => fn(r));
  return {
    utilPct: f((r) => 90 + (r % 10)),
    tempC: f((r) => 55 + (r % 30)),
    memGiB: f(() => 71.3),
    powerW: f((r) => 600 + (r % 90)),
  };
}

const STEP: StepData = {
  epoch: 2,
  epochs: 3,
  epoch_step: 1234,
  steps_per_epoch: 5000,
  step: 6234,
  total_steps: 15000,
  loss: 2.3456,
  ppl: 10.44,
  lr: 2.5e-4,
  grad_norm: 0.213,
  loss_scale: 1,
  step_time_s: 3.42,
  tokens_per_s: 1.2e6,
  samples_per_s: 292.9,
  tflops_per_gpu: 412.3,
  mfu: 0.417,
  elapsed_s: 30000,
  eta_s: 29000,
  tokens_seen: 2.6e10,
};

function state(nodes: number): LiveState {
  return {
    job: {
      jobId: 9912345,
      name: "llama-3-70b-pt-20261124-abcd",
      user: "svc-pretrain",
      partition: "h100-prod",
      nodes,
      nodeList: `gpu-h[00001-${String(nodes).padStart(5, "0")}]`,
      gpus: `${nodes * 8} × NVIDIA H100 80GB HBM3`,
      startMs: 0,
      limitS: 2 * 86_400,
    },
    epochs: 3,
    totalSteps: 15000,
    phase: "train",
    epoch: 2,
    step: STEP,
    bar: { id: "ckpt", label: "Writing shards", done: 3, total: 8, unit: "shard", elapsed_s: 9 },
    telemetry: telemetry(nodes * 8),
    grid: {
      nodes,
      gpusPerNode: 8,
      memTotalGiB: 79.6,
      host: (n) => `gpu-h${String(n + 1).padStart(5, "0")}`,
    },
    simMs: 30_000_000,
  };
}

Deno.test("liveLines() fits every width from 40 to 300 and every height from 10, with and without colour", () => {
  for (const nodes of [1, 8, 64, 2048]) {
    const s = state(nodes);
    for (const width of [40, 41, 59, 80, 100, 120, 160, 200, 240, 300]) {
      for (const height of [10, 24, 50]) {
        for (const color of [false, true]) {
          const lines = liveLines(s, width, height, color);
          assert.ok(
            lines.length <= height - 1,
            `${nodes} nodes ${width}×${height}: ${lines.length} rows`,
          );
          for (const line of lines) {
            assert.ok(visibleWidth(line) <= width, `${nodes} nodes at ${width}: "${line}"`);
          }
        }
      }
    }
  }
});

Deno.test("liveLines() shows the bars, metrics and a grid row per node when they fit", () => {
  const lines = liveLines(state(4), 120, 40, false);
  assert.ok(lines.some((l) => l.startsWith("Epoch 2/3")));
  assert.ok(lines.some((l) => l.startsWith("Step 6234/15000")));
  assert.ok(lines.some((l) => l.includes("loss 2.3456")));
  assert.equal(lines.filter((l) => l.startsWith("gpu-h")).length, 4);
});

/** Made-up telemetry, curves and live state with exactly predictable values. */
import type { GridInfo, GridTelemetry } from "../../src/render/views/grid.ts";
import type { LiveState } from "../../src/render/views/live.ts";
import type { JobHeader } from "../../src/render/views/job_header.ts";
import { createCurveHistory, recordStep } from "../../src/render/curve_history.ts";
import type { StepData } from "../../src/sim/events.ts";

/** Telemetry of `nodes` × 8 GPUs whose values cycle with the rank. */
export function telemetry(nodes: number): GridTelemetry {
  const n = nodes * 8;
  const t = {
    utilPct: new Float32Array(n),
    tempC: new Float32Array(n),
    memGiB: new Float32Array(n),
    powerW: new Float32Array(n),
  };
  for (let r = 0; r < n; r++) {
    t.utilPct[r] = 90 + ((r * 7) % 11);
    t.tempC[r] = 55 + ((r * 13) % 27);
    t.memGiB[r] = 60 + (r % 5) * 0.5;
    t.powerW[r] = 500 + ((r * 37) % 200);
  }
  // One slow node, so the outliers have something to name.
  if (nodes > 2) { for (let r = 16; r < 24; r++) t.utilPct[r] = 40; }
  return t;
}

/** Grid facts of `nodes` nodes named like a real cluster. */
export function gridInfo(nodes: number): GridInfo {
  const digits = nodes >= 1000 ? 5 : 3;
  return {
    nodes,
    gpusPerNode: 8,
    memTotalGiB: 80,
    host: (i) => `gpu-a${String(i + 1).padStart(digits, "0")}`,
  };
}

/** The job header of a run on `nodes` nodes named as gridInfo() names them, 4 h its limit. */
export function jobHeader(nodes: number): JobHeader {
  const host = gridInfo(nodes).host;
  return {
    jobId: 4182734,
    name: "demo-run",
    user: "jlee",
    partition: "h100-prod",
    nodes,
    nodeList: nodes === 1 ? host(0) : `gpu-a[${host(0).slice(5)}-${host(nodes - 1).slice(5)}]`,
    gpus: `${nodes * 8} × NVIDIA H100 80GB HBM3`,
    startMs: 0,
    limitS: 4 * 3600,
  };
}

/** A step halfway through a 1000-step run. */
export function stepData(step: number): StepData {
  return {
    epoch: 1,
    epochs: 2,
    epoch_step: step,
    steps_per_epoch: 500,
    step,
    total_steps: 1000,
    loss: 2.5,
    ppl: 12.18,
    lr: 1e-4,
    grad_norm: 0.5,
    loss_scale: 1,
    step_time_s: 1.5,
    tokens_per_s: 5e5,
    samples_per_s: 120,
    tflops_per_gpu: 400,
    mfu: 0.4,
    elapsed_s: 600,
    eta_s: 1200,
    tokens_seen: 1e9,
  };
}

/** Live state after `steps` steps of a decaying loss under warm-up and cosine decay. */
export function liveState(nodes: number, steps: number): LiveState {
  const curves = createCurveHistory();
  for (let s = 1; s <= steps; s++) {
    const lr = s <= 50
      ? (3e-4 * s) / 50
      : 3e-5 + 1.35e-4 * (1 + Math.cos((Math.PI * (s - 50)) / 950));
    recordStep(curves, s, 2 + 9 * Math.exp(-s / 40), lr);
  }
  return {
    job: jobHeader(Math.max(1, nodes)),
    epochs: 2,
    totalSteps: 1000,
    phase: "train",
    epoch: 1,
    step: steps > 0 ? stepData(steps) : null,
    bar: null,
    telemetry: nodes > 0 ? telemetry(nodes) : null,
    grid: gridInfo(Math.max(1, nodes)),
    simMs: 754_000,
    curves,
    scheduleLabel: "cosine, warm-up 50",
  };
}

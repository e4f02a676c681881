/** Frame composition: the live region and the GPU grid at small and huge clusters. */
import { liveLines, type LiveState } from "../src/render/views/live.ts";
import { gridLines } from "../src/render/views/grid.ts";
import { hostName } from "../src/sim/names.ts";
import { jobHeaderFor } from "../src/render/views/job_header.ts";
import type { StepData } from "../src/sim/events.ts";
import { firstEvent, fixtureConfig, fixtureTelemetry, START_MS } from "./fixtures.ts";

function liveState(nodes: number): LiveState {
  const cfg = fixtureConfig(nodes);
  const step = firstEvent(cfg, "step");
  return {
    job: jobHeaderFor(cfg),
    epochs: cfg.epochs,
    totalSteps: cfg.totalSteps,
    phase: "train",
    epoch: 1,
    step: (step as { data: StepData }).data,
    bar: null,
    telemetry: fixtureTelemetry(nodes),
    grid: {
      nodes,
      gpusPerNode: 8,
      memTotalGiB: 80,
      host: (n) => hostName(cfg.cluster, n),
    },
    simMs: START_MS,
  };
}

const small = liveState(8);
const medium = liveState(128);
const huge = liveState(16384);

Deno.bench("liveLines 64 GPUs, 120×40", { group: "live", baseline: true }, () => {
  liveLines(small, 120, 40, true);
});
Deno.bench("liveLines 1,024 GPUs, 120×40", { group: "live" }, () => {
  liveLines(medium, 120, 40, true);
});
Deno.bench("liveLines 131,072 GPUs, 120×40", { group: "live" }, () => {
  liveLines(huge, 120, 40, true);
});
Deno.bench("gridLines 64 GPUs, per-GPU cells", { group: "grid", baseline: true }, () => {
  gridLines(small.telemetry!, small.grid, 200, 30, true);
});
Deno.bench("gridLines 131,072 GPUs, heat map", { group: "grid" }, () => {
  gridLines(huge.telemetry!, huge.grid, 120, 30, true);
});

/**
 * Deterministic inputs for the micro benchmarks: real events and telemetry from a seeded run, so
 * the functions under test see the shapes and sizes the program feeds them.
 */
import type { DataEvent, OutputEvent, SimEvent } from "../src/sim/events.ts";
import { drawRunConfig, type RunConfig } from "../src/sim/run_config.ts";
import { simulateRun } from "../src/sim/simulate.ts";
import { applyStyle, NATIVE_STYLE, openStyle } from "../src/style/style.ts";
import type { GridTelemetry } from "../src/render/views/grid.ts";
import { initialThermal, sampleBlock } from "../src/cluster/telemetry.ts";
import type { Tick, WorkerInit } from "../src/cluster/protocol.ts";
import { gpuEvents } from "../src/driver/driver.ts";

/** Simulated start of every fixture run. */
export const START_MS = Date.UTC(2026, 10, 24, 9);

/** The run of seed 1 on `nodes` nodes of 8 GPUs. */
export function fixtureConfig(nodes: number): RunConfig {
  return drawRunConfig({ seed: 1, startMs: START_MS, nodes });
}

/** The first event of `type` that the run of `cfg` logs, with its message filled in. */
export function firstEvent(cfg: RunConfig, type: DataEvent["type"]): OutputEvent {
  const cadence = { initMs: 1e15, trainMs: 60_000 };
  for (const ev of simulateRun(cfg, cadence) as Iterable<SimEvent>) {
    if (ev.type !== type) continue;
    if (ev.type === "step" && !ev.logged) continue;
    return applyStyle(openStyle(NATIVE_STYLE, cfg), ev);
  }
  throw new Error(`the fixture run has no ${type} event`);
}

/** The `gpu` event of node 0 as the driver builds it from merged telemetry. */
export function gpuEvent(cfg: RunConfig): OutputEvent {
  const t = fixtureTelemetry(cfg.nodes);
  const tick = { type: "tick", simMs: START_MS, report: true, tick: trainTick(START_MS) } as const;
  const [ev] = gpuEvents(cfg, tick, [t.utilPct, t.tempC, t.memGiB, t.powerW]);
  return applyStyle(openStyle(NATIVE_STYLE, cfg), ev);
}

/** The worker set-up message for a block of `nodeCount` nodes starting at node 0. */
export function fixtureInit(nodeCount: number): WorkerInit {
  return {
    type: "init",
    seed: 1,
    gpusPerNode: 8,
    firstNode: 0,
    nodeCount,
    memTotalGiB: 80,
    tdpW: 700,
    idleW: 70,
  };
}

/** A training tick at `simMs`. */
export function trainTick(simMs: number): Tick {
  return {
    type: "tick",
    seq: 1,
    simMs,
    activity: "train",
    intensity: 0.85,
    memGiB: 61.5,
    loadFraction: 1,
  };
}

/** Telemetry of `nodes` whole nodes in training, as the pool merges it. */
export function fixtureTelemetry(nodes: number): GridTelemetry {
  const init = fixtureInit(nodes);
  const state = initialThermal(init);
  sampleBlock(init, state, trainTick(START_MS));
  return sampleBlock(init, state, trainTick(START_MS + 60_000));
}

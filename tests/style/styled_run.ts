/**
 * Runs a simulation in-process and formats every output event through a style, the way the
 * driver does, with telemetry computed by the same pure functions the workers call.
 */
import { initialThermal, sampleBlock } from "../../src/cluster/telemetry.ts";
import type { WorkerInit } from "../../src/cluster/protocol.ts";
import { gpuEvents } from "../../src/driver/driver.ts";
import type { OutputEvent } from "../../src/sim/events.ts";
import { drawRunConfig, type RunChoices, type RunConfig } from "../../src/sim/run_config.ts";
import { simulateRun } from "../../src/sim/simulate.ts";
import { drawRun } from "../../src/sim/scenario.ts";
import type { TickCadence } from "../../src/sim/timeline.ts";
import { applyStyle, openStyle, type Style } from "../../src/style/style.ts";
import { STYLE_NAMES, type StyleName } from "../../src/style/names.ts";
import { stylePacing } from "../../src/style/pacing.ts";

/** The fixed start every style test uses. */
export const START_MS = Date.parse("2026-11-24T09:00:00Z");

/** A run's configuration and its events with their styled messages. */
export interface StyledRun {
  cfg: RunConfig;
  events: OutputEvent[];
}

/** No periodic telemetry: only the reading taken as the job starts and the job script's. */
const NO_TICKS: TickCadence = { initMs: 1e15, trainMs: 1e15 };

/**
 * Every output event of a run, paced as the style's framework paces it, as the program does;
 * without `cadence`, no periodic telemetry (give the driver's cadenceFor() to see the GPU
 * readings line modes print).
 */
export function styledRun(
  choices: Omit<RunChoices, "startMs">,
  style: Style,
  cadence: TickCadence = NO_TICKS,
): StyledRun {
  const name = STYLE_NAMES.find((n) => n === style.name) as StyleName | undefined;
  const pacing = name ? (c: RunConfig) => stylePacing(name, c) : undefined;
  const cfg = drawRunConfig({ startMs: START_MS, pacing, ...choices });
  return styledConfig(cfg, style, cadence);
}

/** The output events of the run `cfg`, formatted through `style`. */
export function styledConfig(
  cfg: RunConfig,
  style: Style,
  cadence: TickCadence = NO_TICKS,
): StyledRun {
  const writer = openStyle(style, cfg);
  const init: WorkerInit = {
    type: "init",
    seed: cfg.seed,
    gpusPerNode: cfg.gpusPerNode,
    firstNode: 0,
    nodeCount: cfg.nodes,
    memTotalGiB: cfg.gpu.memMiB / 1024,
    tdpW: cfg.gpu.tdpW,
    idleW: cfg.gpu.idleW,
  };
  const thermal = initialThermal(init);
  const events: OutputEvent[] = [];
  let seq = 0;
  for (const ev of simulateRun(cfg, cadence)) {
    if (ev.type === "phase") continue;
    if (ev.type === "tick") {
      if (!ev.report) continue;
      const s = sampleBlock(init, thermal, {
        type: "tick",
        seq: seq++,
        simMs: ev.simMs,
        ...ev.tick,
      });
      for (const g of gpuEvents(cfg, ev, [s.utilPct, s.tempC, s.memGiB, s.powerW])) {
        events.push(applyStyle(writer, g));
      }
      continue;
    }
    events.push(applyStyle(writer, ev));
  }
  return { cfg, events };
}

/** The lines text mode prints without timestamps. */
export function textOf(events: OutputEvent[]): string[] {
  return events
    .filter((ev) => ev.msg !== "" && !(ev.type === "step" && !ev.logged))
    .flatMap((ev) => ev.msg.split("\n"));
}

/**
 * A run drawn as the program draws it without sizing flags (a fitted run, or the framework's
 * real recipe for it) with `--style name`, formatted through that style.
 */
export function styledDefaultRun(
  seed: number,
  style: Style,
  more: Partial<RunChoices> = {},
): StyledRun {
  const name = style.name as StyleName;
  const cfg = drawRun({ seed, startMs: START_MS, pacing: (c) => stylePacing(name, c), ...more });
  return styledConfig(cfg, style);
}

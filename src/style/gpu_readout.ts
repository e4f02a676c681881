/**
 * What a monitoring tool reads off each GPU of a `gpu` reading: the telemetry's power,
 * temperature, utilisation and memory, and the figures a tool shows beside them, derived from
 * those (the SM clock drops as power nears the cap, the memory controller is busy in proportion
 * to the SMs, HBM runs a few degrees from the die) with the board's own constants.
 */
import type { DataEvent } from "../sim/events.ts";
import { createRng, hashUnit } from "../sim/rng.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { gpuHost } from "../sim/gpu_host.ts";
import { usedMiB } from "./nvidia_smi.ts";

type GpuEvent = Extract<DataEvent, { type: "gpu" }>;

/** Peak-to-peak spread of a temperature sensor's reading around the die's mean, °C. */
const SENSOR_NOISE_C = 1.6;

/** SM clocks step in 15 MHz bins. */
const CLOCK_STEP_MHZ = 15;

/** One GPU as a monitoring tool reads it. */
export interface Readout {
  index: number;
  powerW: number;
  tempC: number;
  /** HBM temperature, °C; null on GDDR boards (the tool prints `-`). */
  memTempC: number | null;
  smPct: number;
  /** The memory controller's busy share, %. */
  memPct: number;
  usedMiB: number;
  totalMiB: number;
  smMHz: number;
  memMHz: number;
  bar1MiB: number;
}

/**
 * The SM clock: the idle clock on an idle GPU, else full boost until power nears the cap,
 * where the driver trades clock for watts.
 */
export function smClockMHz(idleMHz: number, maxMHz: number, util: number, load: number): number {
  if (util < 1) return idleMHz;
  const cut = load > 0.88 ? 0.6 * (load - 0.88) : 0;
  return CLOCK_STEP_MHZ * Math.round((maxMHz * (1 - cut)) / CLOCK_STEP_MHZ);
}

/** Every GPU of a reading as a monitoring tool reads it (noise seeded by node and instant). */
export function readouts(ev: GpuEvent, cfg: RunConfig): Readout[] {
  const host = gpuHost(cfg.gpu.id), seed = cfg.seed;
  const rng = createRng(seed, `readout:${ev.data.node}:${ev.simMs}`);
  // How hard training works the memory controller, for this model and batch.
  const memRatio = 0.3 + 0.3 * hashUnit(seed, 0x6d72);
  return ev.data.gpus.map((g, i) => {
    const rank = g.rank, used = usedMiB(g.mem_used_gib);
    const util = Math.round(g.util_pct);
    const memTempOffset = -3 + 6 * hashUnit(seed, rank, 0x6d74);
    // The sensor reads a little above or below the die's mean (fans, hot spots).
    const tempC = g.temp_c + SENSOR_NOISE_C * (rng.next() - 0.5);
    return {
      index: i,
      powerW: g.power_w,
      tempC,
      memTempC: host.hbm ? tempC + memTempOffset + 0.1 * (tempC - 35) : null,
      smPct: util,
      // The memory controller's share moves with the phase a sample lands in, not with SM use.
      memPct: util === 0
        ? 0
        : Math.min(100, Math.round(util * memRatio * Math.exp(0.2 * rng.normal()))),
      usedMiB: used,
      totalMiB: cfg.gpu.memMiB,
      smMHz: smClockMHz(host.smClockMHz[0], host.smClockMHz[1], util, g.power_w / cfg.gpu.tdpW),
      memMHz: host.memClockMHz,
      bar1MiB: used === 0 ? 1 : 3 + Math.floor(6 * hashUnit(seed, rank, 0x6231)),
    };
  });
}

/**
 * `nvidia-smi --query-gpu=… --format=csv -l N`: a header naming each field (with its unit in
 * brackets where it has one, under the field's canonical name) once, then one row per GPU per
 * sample, fields joined by ", ", values with their units (`100 %`, `29089 MiB`, `154.88 W`,
 * the temperature bare), every GPU of a sample sharing one timestamp.
 */
import { smiTimestamp } from "../format/clock.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { pciAddress } from "../sim/names.ts";
import type { Readout } from "./gpu_readout.ts";

interface Field {
  head: string;
  value: (r: Readout, cfg: RunConfig, simMs: number) => string;
}

/** The fields a job script may ask for, by the name it gives on the command line. */
const FIELDS: Record<string, Field> = {
  timestamp: { head: "timestamp", value: (_r, _c, simMs) => smiTimestamp(simMs) },
  index: { head: "index", value: (r) => String(r.index) },
  name: { head: "name", value: (_r, cfg) => cfg.gpu.name },
  "pci.bus_id": { head: "pci.bus_id", value: (r, cfg) => pciAddress(cfg.cluster, r.index) },
  "utilization.gpu": { head: "utilization.gpu [%]", value: (r) => `${r.smPct} %` },
  "utilization.memory": { head: "utilization.memory [%]", value: (r) => `${r.memPct} %` },
  "memory.used": { head: "memory.used [MiB]", value: (r) => `${r.usedMiB} MiB` },
  "memory.total": { head: "memory.total [MiB]", value: (r) => `${r.totalMiB} MiB` },
  "temperature.gpu": { head: "temperature.gpu", value: (r) => String(Math.round(r.tempC)) },
  "power.draw": { head: "power.draw [W]", value: (r) => `${r.powerW.toFixed(2)} W` },
  "clocks.sm": { head: "clocks.current.sm [MHz]", value: (r) => `${r.smMHz} MHz` },
  pstate: { head: "pstate", value: () => "P0" },
};

/** Field lists job scripts ask for (each a real `--query-gpu` argument). */
export const QUERY_FIELD_SETS: readonly string[][] = [
  ["timestamp", "index", "utilization.gpu", "memory.used", "temperature.gpu", "power.draw"],
  [
    "timestamp",
    "name",
    "pci.bus_id",
    "utilization.gpu",
    "utilization.memory",
    "memory.used",
    "memory.total",
    "temperature.gpu",
    "power.draw",
  ],
  [
    "timestamp",
    "index",
    "power.draw",
    "temperature.gpu",
    "utilization.gpu",
    "utilization.memory",
    "memory.used",
    "memory.total",
  ],
  ["index", "timestamp", "pstate", "utilization.gpu", "memory.used", "power.draw", "clocks.sm"],
];

/** The CSV header line. */
export function queryHeader(fields: readonly string[]): string {
  return fields.map((f) => FIELDS[f].head).join(", ");
}

/** One row per GPU of a sample taken at `simMs`. */
export function queryRows(
  fields: readonly string[],
  cfg: RunConfig,
  simMs: number,
  gpus: Readout[],
): string[] {
  return gpus.map((r) => fields.map((f) => FIELDS[f].value(r, cfg, simMs)).join(", "));
}

/** The command line that starts it. */
export function queryCommand(fields: readonly string[], intervalS: number): string {
  return `nvidia-smi --query-gpu=${fields.join(",")} --format=csv -l ${intervalS}`;
}

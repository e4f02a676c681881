/**
 * GPU telemetry in a Megatron job's log. Megatron itself prints none; what a job prints beside
 * training comes from a monitor its script starts (`nvidia-smi` tables or `dmon` lines), which
 * is where a shared monitoring module plugs in. Until then every reading prints nothing.
 */
import type { DataEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";

type GpuEvent = Extract<DataEvent, { type: "gpu" }>;

/** The monitor's lines for one node's reading ("" while the job runs no monitor). */
export function monitorLines(_ev: GpuEvent, _cfg: RunConfig): string {
  return "";
}

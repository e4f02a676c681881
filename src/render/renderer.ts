/** What every output mode implements. */
import type { OutputEvent, PhaseEvent } from "../sim/events.ts";
import type { Frame } from "../cluster/pool.ts";

/** Consumes the simulation's events and the merged telemetry. */
export interface Renderer {
  /** Whether the driver should build per-node `gpu` events for reported ticks. */
  readonly wantsGpuEvents: boolean;
  /** A line-producing event with its `msg` filled in. */
  event(ev: OutputEvent): void;
  /** A phase change (drives the live region; ignored by line modes). */
  phase(ev: PhaseEvent): void;
  /** Fresh telemetry of the whole cluster. */
  telemetry(frame: Frame): void;
  /** The simulated clock moved (the live view redraws from it). */
  clock(simMs: number): void;
  /** Writes whatever is pending. */
  flush(): void;
  /** Ends output: restore the terminal, flush the rest. */
  close(): void;
}

/** ISO-8601 UTC with milliseconds for a simulated instant. */
export function isoTime(simMs: number): string {
  return new Date(simMs).toISOString();
}

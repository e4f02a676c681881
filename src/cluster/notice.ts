/**
 * What the pool tells the driver when a worker fails or comes back, and how the run's log
 * tells it: as a node whose telemetry agent died and was restarted.
 */
import type { LogEvent } from "../sim/events.ts";

/** A worker failure or recovery, for the block of nodes it served. */
export interface PoolNotice {
  kind: "fail" | "recover";
  firstNode: number;
  nodeCount: number;
  /** The tick at which it happened. */
  seq: number;
  /** Why the worker was declared dead (failures only). */
  reason: string;
  /** Whether the pool will start a new worker (failures only). */
  restarting: boolean;
}

function who(n: PoolNotice, gpusPerNode: number, host: (node: number) => string): string {
  const lastNode = n.firstNode + n.nodeCount - 1;
  const ranks = `ranks ${n.firstNode * gpusPerNode}-${(lastNode + 1) * gpusPerNode - 1}`;
  return n.nodeCount === 1
    ? `${host(n.firstNode)} (${ranks})`
    : `nodes ${host(n.firstNode)}..${host(lastNode)} (${ranks})`;
}

/** The log line for a notice at simulated instant `simMs`. */
export function noticeEvent(
  n: PoolNotice,
  gpusPerNode: number,
  host: (node: number) => string,
  simMs: number,
): LogEvent {
  const subject = who(n, gpusPerNode, host);
  if (n.kind === "recover") {
    const msg = `${subject} recovered: telemetry agent restarted, caught up at tick ${n.seq}`;
    return { type: "log", simMs, level: "info", key: "node.recover", msg };
  }
  const next = n.restarting
    ? "restarting it from the last known state"
    : "too many restarts, giving up";
  return {
    type: "log",
    simMs,
    level: "warn",
    key: "node.fail",
    msg: `Lost telemetry from ${subject} at tick ${n.seq} (${n.reason}); ${next}`,
  };
}

/**
 * What the pool tells the driver when a worker fails or comes back, as the facts of a `log`
 * event: a node whose telemetry agent died and was restarted.
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

/** The `log` event for a notice at simulated instant `simMs` (its words come from the style). */
export function noticeEvent(n: PoolNotice, simMs: number): LogEvent {
  if (n.kind === "recover") {
    const data = { first_node: n.firstNode, nodes: n.nodeCount, tick: n.seq };
    return { type: "log", simMs, level: "info", key: "node.recover", msg: "", data };
  }
  return {
    type: "log",
    simMs,
    level: "warn",
    key: "node.fail",
    msg: "",
    data: {
      first_node: n.firstNode,
      nodes: n.nodeCount,
      tick: n.seq,
      reason: n.reason,
      restarting: n.restarting,
    },
  };
}
